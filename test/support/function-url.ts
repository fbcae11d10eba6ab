import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaFunctionURLEvent } from 'aws-lambda';

/** What a Function URL hands the function and takes back (payload format 2.0). */
export type UrlHandler = (
  event: LambdaFunctionURLEvent,
  context: unknown,
) => Promise<{
  statusCode?: number | undefined;
  headers?: Record<string, unknown> | undefined;
  body?: string | undefined;
}>;

export interface FunctionUrl {
  readonly url: string;
  /** The events the function was invoked with, in order. */
  readonly events: readonly LambdaFunctionURLEvent[];
  close(): Promise<void>;
}

/**
 * A loopback stand-in for a Lambda Function URL: each HTTP request becomes a payload-format-2.0 event
 * (lower-cased headers, raw path and query, request context, the body base64-encoded as a Function URL
 * does for a body it does not take for text) and the handler's result becomes the HTTP response. So a
 * test sends Slack's real signed requests (createSlackRequestClient) to a Lambda handler.
 */
export async function startFunctionUrl(handler: UrlHandler): Promise<FunctionUrl> {
  const events: LambdaFunctionURLEvent[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://function-url');
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [
          k.toLowerCase(),
          Array.isArray(v) ? v.join(',') : (v ?? ''),
        ]),
      );
      const now = new Date();
      const event = {
        version: '2.0',
        routeKey: '$default',
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        requestContext: {
          accountId: 'anonymous',
          apiId: 'settleopsurl',
          domainName: 'settleopsurl.lambda-url.us-east-1.on.aws',
          domainPrefix: 'settleopsurl',
          http: {
            method: req.method ?? 'GET',
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId: randomUUID(),
          routeKey: '$default',
          stage: '$default',
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
        },
        body: Buffer.concat(chunks).toString('base64'),
        isBase64Encoded: true,
      } as LambdaFunctionURLEvent;
      events.push(event);
      handler(event, {})
        .then((result) => {
          const responseHeaders = Object.fromEntries(
            Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]),
          );
          res.writeHead(result.statusCode ?? 200, responseHeaders);
          res.end(result.body ?? '');
        })
        .catch(() => {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end('{"Message":"Internal Server Error"}');
        });
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    events,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
