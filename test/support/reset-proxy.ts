import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

/** One client connection through the proxy. */
export interface ProxiedConnection {
  /** 0 for the first connection accepted. */
  readonly index: number;
  /** Cuts it as a network reset does: the client reads ECONNRESET, the upstream side is closed. */
  reset(): void;
}

export interface ResetProxy {
  /** Give this to the SDK client as `endpoint`. */
  readonly url: string;
  readonly connections: readonly ProxiedConnection[];
  /** Resolves once `n` connections have been accepted. */
  connected(n: number): Promise<void>;
  close(): Promise<void>;
}

export interface ResetProxyOptions {
  /**
   * Connections whose answer never arrives: when the upstream's first byte comes back, the client's
   * connection is reset instead (the request was served; the caller does not know).
   */
  readonly cutAnswerOf?: (index: number) => boolean;
}

/**
 * A loopback TCP proxy in front of an HTTP endpoint that can reset a connection the way a network
 * does (an RST, not a clean close): what makes an AWS SDK client retry a request it already sent.
 */
export async function startResetProxy(target: string, options: ResetProxyOptions = {}): Promise<ResetProxy> {
  const { hostname, port } = new URL(target);
  const connections: ProxiedConnection[] = [];
  const sockets = new Set<Socket>();
  let waiters: { readonly n: number; readonly resolve: () => void }[] = [];
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };

  const server = createServer((client) => {
    const index = connections.length;
    const upstream = connect(Number(port), hostname);
    track(client);
    track(upstream);
    const connection: ProxiedConnection = {
      index,
      reset() {
        if (!client.destroyed) client.resetAndDestroy();
        upstream.destroy();
      },
    };
    connections.push(connection);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (options.cutAnswerOf?.(index) === true) connection.reset();
      else if (!client.destroyed) client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    const ready = waiters.filter((w) => connections.length >= w.n);
    waiters = waiters.filter((w) => connections.length < w.n);
    for (const w of ready) w.resolve();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections,
    connected: (n) =>
      connections.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push({ n, resolve });
          }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
