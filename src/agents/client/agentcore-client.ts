import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';

export interface AgentCoreClientOptions {
  readonly region: string;
  /** AGENTCORE_ENDPOINT, or the local endpoint's URL; unset → the SDK's regional endpoint. */
  readonly endpoint?: string;
  /**
   * A local endpoint on loopback: static dummy credentials, so the SDK never walks the credential
   * chain (which could reach for instance metadata on the network).
   */
  readonly local?: boolean;
}

/** The real AgentCore data-plane client, pointed at AWS or at the local endpoint. */
export function createAgentCoreClient(options: AgentCoreClientOptions): BedrockAgentCoreClient {
  return new BedrockAgentCoreClient({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.local === true ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}
