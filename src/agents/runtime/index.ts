export {
  type Authentication,
  type AuthenticatorDeps,
  type AuthRefusalReason,
  createInvocationAuthenticator,
  type InvocationAuthenticator,
} from './authenticate.ts';
export {
  createRuntimeApp,
  DEFAULT_AGENT_HOST,
  DEFAULT_AGENT_PORT,
  type ListenOptions,
  REQUEST_ID_HEADER,
  type RuntimeApp,
  type RuntimeAppAddress,
  type RuntimeAppOptions,
  SESSION_ID_HEADER,
  WORKLOAD_TOKEN_HEADERS,
} from './runtime-app.ts';
