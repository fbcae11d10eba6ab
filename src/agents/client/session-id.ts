import { createHash } from 'node:crypto';

/** AgentCore Runtime wants 33–256 characters; AgentCore Memory 1–100 of `[a-zA-Z0-9][a-zA-Z0-9-_]*`. */
export const RUNTIME_SESSION_ID_MIN = 33;
export const RUNTIME_SESSION_ID_MAX = 256;
export const MEMORY_SESSION_ID_MAX = 100;

const VALID = /^[A-Za-z0-9][A-Za-z0-9_-]{32,99}$/;

/**
 * The `runtimeSessionId` of a Slack thread: `so-` and the base64url SHA-256 of (team, principal,
 * channel, thread), 46 characters of `[A-Za-z0-9_-]`, valid as a Runtime session id and as a Memory
 * session id. Deterministic, so every turn of a thread lands in the same session; the principal is
 * part of it, so two people in one thread never share a session (a session belongs to one
 * principal). Slack's `ts` dots need no transformation: the hash hides them.
 */
export function runtimeSessionId(
  teamId: string,
  principalId: string,
  channelId: string,
  threadTs: string,
): string {
  const digest = createHash('sha256')
    // JSON keeps the parts apart: ("a|b", "c") and ("a", "b|c") hash differently.
    .update(JSON.stringify(['settleops/v1', teamId, principalId, channelId, threadTs]))
    .digest('base64url');
  return `so-${digest}`;
}

/** True for an id both AgentCore Runtime and AgentCore Memory accept. */
export function isValidSessionId(id: string): boolean {
  return VALID.test(id);
}
