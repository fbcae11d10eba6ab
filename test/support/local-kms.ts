import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A KMS HMAC key a local endpoint holds: its id and its secret bytes. */
export interface LocalKmsKey {
  readonly keyId: string;
  readonly secret?: Uint8Array;
}

export interface LocalKmsEndpoint {
  /** Give this to the SDK client as `endpoint`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A local AWS KMS endpoint for `GenerateMac` (JSON 1.1, `X-Amz-Target: TrentService.GenerateMac`),
 * so the real `@aws-sdk/client-kms` reaches it with only an endpoint override: HMAC_SHA_256 over the
 * base64 `Message` with the named key, `NotFoundException` for an unknown key, `ValidationException`
 * for a bad request, `UnsupportedOperationException` for any other operation. Loopback only.
 */
export async function startLocalKms(keys: readonly LocalKmsKey[]): Promise<LocalKmsEndpoint> {
  const secrets = new Map(keys.map((k) => [k.keyId, Buffer.from(k.secret ?? randomBytes(32))]));
  const server = createServer((req, res) => {
    handle(req, res).catch(() => fail(res, 500, 'KMSInternalException', 'internal error'));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target !== 'TrentService.GenerateMac')
      return fail(res, 400, 'UnsupportedOperationException', `${target} is not supported here`);
    let body: { KeyId?: unknown; Message?: unknown; MacAlgorithm?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return fail(res, 400, 'ValidationException', 'the request body is not JSON');
    }
    if (
      typeof body.KeyId !== 'string' ||
      typeof body.Message !== 'string' ||
      body.MacAlgorithm !== 'HMAC_SHA_256'
    )
      return fail(
        res,
        400,
        'ValidationException',
        'KeyId, Message and MacAlgorithm HMAC_SHA_256 are required',
      );
    const secret = secrets.get(body.KeyId);
    if (secret === undefined)
      return fail(res, 400, 'NotFoundException', `Key '${body.KeyId}' does not exist`);
    const mac = createHmac('sha256', secret).update(Buffer.from(body.Message, 'base64')).digest('base64');
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ KeyId: body.KeyId, Mac: mac, MacAlgorithm: 'HMAC_SHA_256' }));
  }
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function fail(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ __type: type, message }));
}
