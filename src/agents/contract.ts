import { z } from 'zod';
import { Principal } from '../identity/index.ts';
import type { RecordRef } from './tools/tool.ts';

/**
 * The runtime app's request (`POST /invocations` body). The session id travels in the AgentCore
 * header; `conversationId` groups turns of one Slack thread.
 */
export const AgentRequest = z.object({
  question: z.string().trim().min(1, 'is empty').max(4000, 'is longer than 4000 characters'),
  principal: Principal,
  conversationId: z.string().min(1).max(200).optional(),
  slack: z
    .object({
      teamId: z.string(),
      channelId: z.string(),
      userId: z.string(),
      threadTs: z.string().optional(),
    })
    .optional(),
});
export type AgentRequest = z.infer<typeof AgentRequest>;

export interface AgentResponse {
  readonly answer: string;
  /** The records the answer relied on. */
  readonly records: readonly RecordRef[];
  readonly traceId: string;
  /** `offline-planner` or the model id that answered. */
  readonly answeredBy: string;
  /** Set when a limit or guardrail ended the turn early. */
  readonly stoppedBy?: string;
}

/** Streaming variant (SSE): progress while tools run, text as it is composed, then the whole response. */
export type AgentEvent =
  | { readonly type: 'progress'; readonly message: string }
  | { readonly type: 'text'; readonly delta: string }
  | { readonly type: 'done'; readonly response: AgentResponse };

export interface InvocationContext {
  readonly sessionId: string;
  readonly requestId?: string;
}

/** What the runtime app serves. */
export interface AgentService {
  answer(request: AgentRequest, ctx: InvocationContext): Promise<AgentResponse>;
  stream(request: AgentRequest, ctx: InvocationContext): AsyncGenerator<AgentEvent>;
}
