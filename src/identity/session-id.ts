/**
 * A session id both AgentCore Runtime (33–256 characters) and AgentCore Memory (1–100 of
 * `[a-zA-Z0-9][a-zA-Z0-9-_]*`) accept: 33–100 characters. The same rule as the agents' client
 * (`isValidSessionId` there); kept here so identity does not depend on agents.
 */
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{32,99}$/;

export function isRegistrableSessionId(id: string): boolean {
  return SESSION_ID.test(id);
}

/** A session id refused at a boundary, naming the field it came in. */
export class InvalidSessionIdError extends Error {
  override readonly name = 'InvalidSessionIdError';
  constructor(readonly field: string) {
    super(`${field}: a session id is 33–100 characters of [A-Za-z0-9_-], starting with a letter or digit`);
  }
}

/** The session id, or an `InvalidSessionIdError` naming `field`. */
export function checkSessionId(id: string, field = 'sessionId'): string {
  if (typeof id !== 'string' || !isRegistrableSessionId(id)) throw new InvalidSessionIdError(field);
  return id;
}
