import { type SlackEmulator, slackBlockKitProblems } from '../../src/local/index.ts';

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'chat.stopStream']);

/**
 * Fails, naming the call and the problem, when any Web API call or response_url post the emulator
 * recorded broke Block Kit's limits (50 blocks, 3,000-character sections, 75-character buttons, unique
 * action ids, …) or Slack's 40,000-character text cap. Call it after every test that drives the bot.
 */
export function assertEveryCallWithinLimits(emulator: SlackEmulator): void {
  const found: string[] = [];
  emulator.calls.forEach((call, i) => {
    const problems: string[] = [];
    if (MESSAGE_METHODS.has(call.method)) {
      problems.push(...slackBlockKitProblems({ blocks: call.params.blocks }));
      const text = call.params.text;
      if (typeof text === 'string' && text.length > 40_000)
        problems.push(`text has ${text.length} characters`);
    }
    if (call.method.startsWith('views.')) {
      const view = typeof call.params.view === 'string' ? safeParse(call.params.view) : call.params.view;
      if (typeof view === 'object' && view !== null) problems.push(...slackBlockKitProblems(view));
    }
    for (const p of problems) found.push(`call #${i} ${call.method}: ${p}`);
  });
  emulator.responses.forEach((post, i) => {
    for (const p of slackBlockKitProblems({ blocks: post.body.blocks }))
      found.push(`response_url post #${i}: ${p}`);
  });
  if (found.length > 0) throw new Error(`Slack would refuse these calls:\n${found.join('\n')}`);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
