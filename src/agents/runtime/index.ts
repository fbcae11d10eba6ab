export {
  createRuntimeApp,
  DEFAULT_AGENT_HOST,
  DEFAULT_AGENT_PORT,
  type ListenOptions,
  REQUEST_ID_HEADER,
  type RuntimeApp,
  type RuntimeAppAddress,
  type RuntimeAppOptions,
} from './runtime-app.ts';
