import type { WebClient } from '@slack/web-api';
import type { AgentEvent, AgentResponse, Trace } from '../../agents/index.ts';
import type { PrincipalDirectory, SessionOrigin } from '../../identity/index.ts';
import type { Logger } from '../../logger.ts';
import type { LongTermMemory } from '../../memory/index.ts';
import type { ApprovalGate, SettlementDeps } from '../../settlement/index.ts';

/** What the worker is given by its composition root (src/app/bot.ts): ports and clients, no config. */
export interface WorkerDeps {
  /** Bolt's WebClient (its `slackApiUrl` pointed at SLACK_API_URL when set). */
  readonly slack: WebClient;
  readonly directory: PrincipalDirectory;
  readonly approvals: ApprovalGate;
  readonly settlement: SettlementDeps;
  readonly facts: LongTermMemory;
  readonly traces: { get(traceId: string): Promise<Trace | undefined> };
  /** The trusted caller of the agent runtime (claims the session, invokes with runtimeUserId). */
  readonly agent: {
    ask(call: {
      readonly principalId: string;
      readonly question: string;
      readonly origin: SessionOrigin;
      readonly stream?: boolean;
      readonly onEvent?: (event: AgentEvent) => void;
    }): Promise<AgentResponse>;
  };
  /** The bot's own user id (its mention is taken out of questions). */
  readonly botUserId: string;
  /** Who to ask for access, in the onboarding message. */
  readonly adminContact?: string;
  readonly logger: Logger;
}
