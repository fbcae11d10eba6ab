import { existsSync, readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import { Server } from 'node:net';
import { join } from 'node:path';
import { SettleOpsError } from '../../errors.ts';

/*
 * Why a wrapper and not the package's public API. `bedrock-agentcore` (0.4.4) gives
 * `BedrockAgentCoreApp` no public way to do what the runtime needs:
 * - answer 401/403/409/503 before the invocation handler runs: `process(request, context)` can only
 *   return a 200 or throw (a 500), after the body was already validated;
 * - learn the port of a `port: 0` listener, wait until it listens, hear why listening failed, or close
 *   the server: `run()` returns nothing and calls `process.exit(1)` when listening fails;
 * - see the request's `Accept` header (the handler gets filtered headers only).
 * Its `contentTypeParsers` option reaches the request but cannot shape a refusal's body, and nothing
 * reaches the server. So the runtime uses the Fastify instance the class keeps (`_app`), through this
 * one module only: the package is pinned to PINNED_VERSION exactly in package.json, and
 * `agentCoreFastify` checks the shape it relies on when the app is built, failing start-up with the
 * package's name and installed version rather than misbehaving after an upgrade. To upgrade: read the
 * new `dist/src/runtime/app.js`, confirm `_app` is still the Fastify instance the routes are
 * registered on, then move the pin and this constant together.
 */

/** The package and the exact version whose internals this module was written against. */
export const AGENTCORE_PACKAGE = 'bedrock-agentcore';
export const PINNED_VERSION = '0.4.4';

/** The part of Fastify's (public) instance API the runtime app uses. */
export interface AgentCoreFastify {
  readonly server: Server;
  addHook(
    name: 'onRequest' | 'onResponse' | 'preHandler',
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>,
  ): unknown;
  close(): Promise<void>;
}

export interface FastifyRequestLike {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed body (JSON): unvalidated until the invocation handler's schema checks it. */
  readonly body?: unknown;
}

export interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(body: unknown): FastifyReplyLike;
}

/** `bedrock-agentcore` is not what this release of SettleOps was built against. */
export class AgentCoreSdkShapeError extends SettleOpsError {
  override readonly name = 'AgentCoreSdkShapeError';
  readonly code = 'AGENTCORE_SDK_SHAPE';
}

/**
 * The Fastify instance behind a `BedrockAgentCoreApp`, checked: `_app` must be an object with
 * `addHook` and `close` functions and a `net.Server` as `server`, and the app must still have `run`.
 * Anything else throws an AgentCoreSdkShapeError naming the package, the installed and the pinned
 * version, and what is missing.
 */
export function agentCoreFastify(app: object): AgentCoreFastify {
  const problems: string[] = [];
  if (typeof (app as { run?: unknown }).run !== 'function') problems.push('BedrockAgentCoreApp.run()');
  const fastify = (app as { _app?: unknown })._app;
  if (typeof fastify !== 'object' || fastify === null) {
    problems.push('the Fastify instance BedrockAgentCoreApp._app');
  } else {
    const f = fastify as Record<string, unknown>;
    if (typeof f.addHook !== 'function') problems.push('_app.addHook()');
    if (typeof f.close !== 'function') problems.push('_app.close()');
    if (!(f.server instanceof Server)) problems.push('_app.server (a net.Server)');
  }
  if (problems.length > 0) {
    throw new AgentCoreSdkShapeError(
      `${AGENTCORE_PACKAGE} ${installedVersion() ?? '(version unknown)'} is not the shape the runtime app ` +
        `relies on (written against ${AGENTCORE_PACKAGE} ${PINNED_VERSION}, pinned in package.json): ` +
        `missing ${problems.join(', ')}. Install ${AGENTCORE_PACKAGE}@${PINNED_VERSION} or adapt ` +
        'src/agents/runtime/agentcore-app-internals.ts to the new version.',
    );
  }
  return fastify as AgentCoreFastify;
}

/**
 * The installed version of the package, read from its package.json along Node's lookup paths (its
 * `exports` do not include package.json, and it has no CommonJS entry to resolve).
 */
export function installedVersion(): string | undefined {
  const paths = createRequire(import.meta.url).resolve.paths(AGENTCORE_PACKAGE) ?? [];
  for (const dir of paths) {
    const file = join(dir, AGENTCORE_PACKAGE, 'package.json');
    if (!existsSync(file)) continue;
    try {
      const version = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
      return typeof version === 'string' ? version : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
