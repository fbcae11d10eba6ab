/**
 * Slack's side of the ack benchmark, in a process of its own (as Slack is): N signed app_mention
 * event deliveries, signed and serialised before the clock starts, sent at once over N keep-alive
 * connections opened beforehand (Slack's senders keep connections to an app open), each timed from
 * its write to the end of the app's HTTP response. Prints `[{status, ms}]` as JSON.
 * Usage: node bin/run-ts.js bench/slack-sender.ts URL SECRET TEAM USER N FIRST_TS
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { appMentionEvent, signRequest } from '../src/local/index.ts';

const [url = '', secret = '', team = '', user = '', n = '200', first = '1764008000'] = process.argv.slice(2);
const count = Number(n);
const target = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets: count, maxFreeSockets: count });

interface Sent {
  readonly status: number;
  readonly ms: number;
}

function send(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body: string) {
  return new Promise<Sent>((resolve, reject) => {
    const started = performance.now();
    const req = request({ host: target.hostname, port: target.port, method, path, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Open the connections first: one health check per connection, all at once.
await Promise.all(Array.from({ length: count }, () => send('GET', '/healthz', {}, '')));

const timestamp = Math.floor(Date.now() / 1000);
const deliveries = Array.from({ length: count }, (_, i) => {
  const body = JSON.stringify({
    token: 'bench',
    team_id: team,
    api_app_id: 'A0SETTLEOPS',
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: timestamp,
    event: appMentionEvent({
      user,
      channel: 'C0ACK',
      text: 'list the pending approvals',
      ts: `${first}.${String(i + 1).padStart(6, '0')}`,
      team,
    }),
  });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signRequest(secret, timestamp, body),
    },
  };
});
const sent = await Promise.all(deliveries.map((d) => send('POST', target.pathname, d.headers, d.body)));
agent.destroy();
console.log(JSON.stringify(sent));
