import { randomUUID } from 'node:crypto';
import type { AgentEvent, AgentResponse } from '../agents/index.ts';
import type { Config } from '../config.ts';
import { UsageError } from '../errors.ts';
import { LOCAL_ADMIN, lookupPrincipal } from '../identity/index.ts';
import { createJsonLogger } from '../logger.ts';
import { openAgentCaller } from './agent-caller.ts';
import { principalDirectory } from './identity.ts';
import { withSettlement } from './settlement.ts';

export interface AskInput {
  readonly question: string;
  /** The canonical id of the directory principal to ask as; absent: the local operator. */
  readonly user?: string;
  readonly stream: boolean;
  readonly onEvent?: (event: AgentEvent) => void;
}

export type AskOutcome =
  | { readonly kind: 'ANSWERED'; readonly response: AgentResponse }
  /** `user` is not an active principal of the directory: nothing was asked. */
  | { readonly kind: 'UNKNOWN_USER'; readonly principalId: string };

/**
 * One question through AgentCore with the real SDK client, as `input.user` (an active directory
 * principal; unknown or removed: nothing is asked) or, without one, as the local operator. The CLI is
 * a trusted caller (`openAgentCaller`): it claims a fresh session for the principal, then invokes with
 * `runtimeUserId` = principal id; the runtime proves who asks from the workload access token and
 * loads the entitlements itself — no principal travels in the request.
 */
export function askAs(config: Config, input: AskInput): Promise<AskOutcome> {
  return withSettlement(config, async (rt) => {
    const { user } = input;
    if (user === undefined && config.agentcore.workloadIdentityName !== undefined) {
      throw new UsageError(
        'ask: with WORKLOAD_IDENTITY_NAME there is no local operator; ask as a directory principal with --user ID',
      );
    }
    const principal = user === undefined ? LOCAL_ADMIN : await lookupPrincipal(principalDirectory(rt), user);
    if (principal === undefined) return { kind: 'UNKNOWN_USER', principalId: user ?? '' };
    const logger = createJsonLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
    const caller = await openAgentCaller(config, rt, logger);
    try {
      // One session per command: `ask` has no thread to continue.
      const response = await caller.ask({
        principalId: principal.principalId,
        question: input.question,
        origin: { teamId: 'cli', channelId: 'cli', threadTs: randomUUID() },
        stream: input.stream,
        ...(input.onEvent === undefined ? {} : { onEvent: input.onEvent }),
      });
      return { kind: 'ANSWERED', response };
    } finally {
      await caller.close();
    }
  });
}
