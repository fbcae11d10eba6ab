import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { isLoopbackUrl } from '../local/index.ts';

/**
 * The AWS SDK clients other than DynamoDB's (built by its store adapter's own factory), each made once
 * per process by a composition root, in the region of the service it talks to. A loopback endpoint
 * (the local AgentCore endpoint, a test server) gets static dummy credentials, so the SDK never walks
 * the credential chain (which could reach for instance metadata on the network).
 */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface ServiceEndpoint {
  readonly region: string;
  /** Endpoint override; unset → the SDK's regional endpoint. */
  readonly endpoint?: string | undefined;
}

/**
 * The AgentCore data-plane client (`InvokeAgentRuntime`). Retries: the SDK's standard ones, kept on
 * purpose (3 attempts: throttling, 5xx, connection resets before the answer began). They used to be
 * a hazard — a reset after the runtime had started a turn made the SDK send it again, and a tool such
 * as rerun_matching ran twice — and are safe now: the invoker puts a request id in the payload, which
 * the SDK resends byte for byte, and the runtime runs each (session, request id) once, answering a
 * repeat with the first one's outcome. An answer cut off after it began (which the SDK does not retry)
 * is asked for again by the invoker, with the same request id.
 */
export function createAgentCoreClient(target: ServiceEndpoint): BedrockAgentCoreClient {
  return new BedrockAgentCoreClient({
    region: target.region,
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
    ...(isLoopbackUrl(target.endpoint) ? { credentials: LOCAL_CREDENTIALS } : {}),
    maxAttempts: 3,
  });
}

/**
 * The Bedrock Runtime client (Converse). `maxAttempts: 1`: retries with full jitter and the fallback to
 * the other model are the Converse client's own policy, not the SDK's.
 */
export function createBedrockRuntimeClient(target: ServiceEndpoint): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: target.region,
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
    ...(isLoopbackUrl(target.endpoint) ? { credentials: LOCAL_CREDENTIALS } : {}),
    maxAttempts: 1,
  });
}

/** The KMS client the audit chain key is derived through. */
export function createKmsClient(target: ServiceEndpoint): KMSClient {
  return new KMSClient({
    region: target.region,
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
    ...(isLoopbackUrl(target.endpoint) ? { credentials: LOCAL_CREDENTIALS } : {}),
  });
}

/** The SQS client the Slack ingress enqueues jobs with (SqsJobQueue). */
export function createSqsClient(target: ServiceEndpoint): SQSClient {
  return new SQSClient({
    region: target.region,
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
    ...(isLoopbackUrl(target.endpoint) ? { credentials: LOCAL_CREDENTIALS } : {}),
  });
}

/** The Secrets Manager client the Lambda functions read the Slack credentials with at cold start. */
export function createSecretsManagerClient(target: ServiceEndpoint): SecretsManagerClient {
  return new SecretsManagerClient({
    region: target.region,
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
    ...(isLoopbackUrl(target.endpoint) ? { credentials: LOCAL_CREDENTIALS } : {}),
  });
}
