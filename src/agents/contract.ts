import { z } from 'zod';
import type { Principal } from '../identity/index.ts';
import type { RecordRef } from './tools/tool.ts';

/**
 * The runtime app's request (`POST /invocations` body). Who asks is not in it: the runtime takes the
 * principal from the verified workload access token in the request's header, and the session from
 * AgentCore's session header. `slack` says where the question came from (for traces and memory).
 */
/** The longest question the agent takes (characters, after trimming). */
export const MAX_QUESTION_LENGTH = 4000;

/**
 * The caller's id of one invocation: a lowercase UUID (what `randomUUID()` gives), the same on every
 * retry of that invocation. The runtime runs an invocation of a session once; a repeat gets the stored
 * answer (or waits for it), so a retried InvokeAgentRuntime never runs a turn — or a side-effecting
 * tool such as rerun_matching — twice.
 */
export const REQUEST_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const AgentRequest = z.strictObject({
  /**
   * Optional on the wire so that a request without one (an operator's hand-made call) is still
   * served, once but unrecognisable when repeated; SettleOps' own callers always send one
   * (`createAgentRuntimeInvoker`).
   */
  requestId: z.string().regex(REQUEST_ID_PATTERN, 'is not a lowercase UUID').optional(),
  question: z
    .string()
    .trim()
    .min(1, 'is empty')
    .max(MAX_QUESTION_LENGTH, `is longer than ${MAX_QUESTION_LENGTH} characters`),
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

/**
 * Why a request would be refused by the runtime (`question: is longer than 4000 characters (got
 * 102400)`), or undefined: callers check before invoking, so the user reads the limit instead of the
 * transport's error.
 */
export function agentRequestProblem(request: unknown): string | undefined {
  const parsed = AgentRequest.safeParse(request);
  if (parsed.success) return undefined;
  return parsed.error.issues
    .map((i) => {
      const path = i.path.map(String).join('.');
      const got =
        path === 'question' &&
        i.code === 'too_big' &&
        typeof (request as { question?: unknown }).question === 'string'
          ? ` (got ${(request as { question: string }).question.trim().length})`
          : '';
      return `${path || '(request)'}: ${i.message}${got}`;
    })
    .join('; ');
}

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
  /** The caller's request id (`AgentRequest.requestId`), else the one AgentCore gave the HTTP request. */
  readonly requestId?: string;
  /** Who asks: verified by the runtime (token, session owner, directory) before the service runs. */
  readonly principal: Principal;
}

/** What the runtime app serves. */
export interface AgentService {
  answer(request: AgentRequest, ctx: InvocationContext): Promise<AgentResponse>;
  stream(request: AgentRequest, ctx: InvocationContext): AsyncGenerator<AgentEvent>;
}
