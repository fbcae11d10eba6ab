import { afterAll, beforeAll, beforeEach, vi } from 'vitest';
import type { GuardrailPolicy } from './guardrail.ts';
import { type ConverseServer, type ConverseServerOptions, startConverseServer } from './server.ts';

/** The file's stand-in, started before its tests (read `server` inside a test or hook). */
export interface ConverseStandIn {
  readonly server: ConverseServer;
}

/**
 * One Converse stand-in for a test file: started before all, its script and records reset before
 * each test (guardrails kept), closed after all.
 */
export function useConverseServer(
  options: {
    readonly server?: ConverseServerOptions;
    readonly guardrails?: Readonly<Record<string, GuardrailPolicy>>;
    /**
     * Static AWS credentials in the environment, for clients built from the SDK's default chain
     * (which would otherwise look at instance metadata: network).
     */
    readonly staticCredentials?: boolean;
  } = {},
): ConverseStandIn {
  let started: ConverseServer | undefined;
  beforeAll(async () => {
    started = await startConverseServer(options.server);
    for (const [id, policy] of Object.entries(options.guardrails ?? {})) started.guardrail(id, policy);
    if (options.staticCredentials === true) {
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    }
  });
  afterAll(async () => {
    if (options.staticCredentials === true) vi.unstubAllEnvs();
    await started?.close();
  });
  beforeEach(() => {
    started?.reset();
  });
  return {
    get server() {
      if (started === undefined) throw new Error('the Converse stand-in is started in beforeAll');
      return started;
    },
  };
}
