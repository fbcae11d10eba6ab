import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * AgentCore's data plane answers on one endpoint (InvokeAgentRuntime, Memory, Identity); the local
 * emulators are one server each. This front routes by path (`/memories/…` → memory, `/identities/…`
 * → identity, anything else → runtime when given), passing requests and answers through unchanged,
 * so one AGENTCORE_ENDPOINT reaches them all. Loopback only.
 */
export async function startAgentCoreDataPlane(targets: {
  readonly memories?: string;
  readonly identities?: string;
  readonly runtimes?: string;
}): Promise<{ readonly url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const base = path.startsWith('/memories/')
      ? targets.memories
      : path.startsWith('/identities/')
        ? targets.identities
        : targets.runtimes;
    if (base === undefined) {
      req.resume();
      res.writeHead(404, { 'x-amzn-errortype': 'UnknownOperationException' }).end('{}');
      return;
    }
    const upstream = request(new URL(path, base), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
