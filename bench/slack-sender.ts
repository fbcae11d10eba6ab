/**
 * Slack's side of the ack benchmark, in a process of its own (as Slack is): sends N signed
 * app_mention events at once to the URL and prints each time to HTTP 200 as JSON.
 * Usage: node bin/run-ts.js bench/slack-sender.ts URL SECRET TEAM USER N FIRST_TS
 */
import { appMentionEvent, createSlackRequestClient } from '../src/local/index.ts';

const [url = '', secret = '', team = '', user = '', n = '200', first = '1764008000'] = process.argv.slice(2);
const slack = createSlackRequestClient({ signingSecret: secret, teamId: team });
const sent = await Promise.all(
  Array.from({ length: Number(n) }, (_, i) =>
    slack.sendEvent(
      url,
      appMentionEvent({
        user,
        channel: 'C0ACK',
        text: 'list the pending approvals',
        ts: `${first}.${String(i + 1).padStart(6, '0')}`,
        team,
      }),
    ),
  ),
);
console.log(JSON.stringify(sent.map((s) => ({ status: s.status, ms: s.elapsedMs }))));
