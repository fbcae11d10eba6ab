import { BedrockAgentCoreApp } from 'bedrock-agentcore/runtime';
import { describe, expect, it } from 'vitest';
import {
  AgentCoreSdkShapeError,
  agentCoreFastify,
  installedVersion,
  PINNED_VERSION,
} from '../../../../src/agents/runtime/agentcore-app-internals.ts';

const newApp = () =>
  new BedrockAgentCoreApp({
    invocationHandler: { process: () => 'ok' },
    config: { logging: { enabled: false } },
  });

describe('the bedrock-agentcore internals the runtime app relies on', () => {
  it('are installed at the pinned version, which package.json pins exactly', async () => {
    const pkg = (await import('../../../../package.json', { with: { type: 'json' } })).default as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies['bedrock-agentcore']).toBe(PINNED_VERSION);
    expect(installedVersion()).toBe(PINNED_VERSION);
  });

  it('are found on the installed package', () => {
    const fastify = agentCoreFastify(newApp());
    expect(typeof fastify.addHook).toBe('function');
    expect(fastify.server.listening).toBe(false);
  });

  it('fail start-up naming the package, its version and what is missing when the shape changed', () => {
    const changed = newApp();
    Object.defineProperty(changed, '_app', { value: { close: async () => {} } });
    let error: unknown;
    try {
      agentCoreFastify(changed);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AgentCoreSdkShapeError);
    expect((error as Error).message).toBe(
      `bedrock-agentcore ${PINNED_VERSION} is not the shape the runtime app relies on (written against ` +
        `bedrock-agentcore ${PINNED_VERSION}, pinned in package.json): missing _app.addHook(), _app.server ` +
        `(a net.Server). Install bedrock-agentcore@${PINNED_VERSION} or adapt ` +
        'src/agents/runtime/agentcore-app-internals.ts to the new version.',
    );
    expect(() => agentCoreFastify({})).toThrow(
      /missing BedrockAgentCoreApp\.run\(\), the Fastify instance BedrockAgentCoreApp\._app\./,
    );
  });
});
