import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** slack/manifest.json installs what the bot's listeners and calls need, and nothing it does not use. */
const manifest = JSON.parse(
  readFileSync(new URL('../../../slack/manifest.json', import.meta.url), 'utf8'),
) as {
  features: { slash_commands: { command: string; url: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
};

describe('slack/manifest.json', () => {
  it('declares the slash commands, events and interactivity the listeners handle, all at /slack/events', () => {
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toStrictEqual([
      '/settle-memory',
      '/settle-report',
    ]);
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toStrictEqual([
      'app_mention',
      'message.im',
    ]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    const urls = [
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      ...manifest.features.slash_commands.map((c) => c.url),
    ];
    expect(urls.every((u) => u.endsWith('/slack/events'))).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('asks for the scopes the Web API calls need', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'app_mentions:read',
        'im:history',
        'chat:write',
        'commands',
        'files:write',
        'im:write',
      ]),
    );
  });
});
