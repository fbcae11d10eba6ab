import { createHash } from 'node:crypto';

const ESCAPES: Readonly<Record<string, string>> = { _: '_u', '.': '_d', '@': '_a', '+': '_p' };
const MAX_ACTOR_ID = 255;

/**
 * The AgentCore Memory actor id of a canonical principal id (`[a-zA-Z0-9][a-zA-Z0-9-_/]*`, ≤ 255):
 * `u` + the id with `_ . @ +` escaped (`alice.smith@bank` → `ualice_dsmith_abank`), or, when that
 * would be too long, `h` + the id's SHA-256 in hex. Injective: two principals never share an actor.
 */
export function memoryActorId(principalId: string): string {
  const escaped = `u${principalId.replace(/[_.@+]/g, (c) => ESCAPES[c] ?? c)}`;
  if (escaped.length <= MAX_ACTOR_ID && /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/.test(escaped)) return escaped;
  return `h${createHash('sha256').update(principalId, 'utf8').digest('hex')}`;
}
