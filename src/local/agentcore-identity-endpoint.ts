import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackUrl } from './loopback.ts';

const PATH = '/identities/GetWorkloadAccessTokenForUserId';
const MAX_BODY_BYTES = 64 * 1024;
const USER_ID_MAX = 128;

export interface LocalAgentCoreIdentityEndpointOptions {
  /** The workload identities that exist (`workloadName`s). */
  readonly workloads: readonly string[];
  /** Issues the workload access token of `userId` for `workloadName` (e.g. the local signer). */
  readonly issue: (workloadName: string, userId: string) => Promise<string>;
  /** Loopback only (default 127.0.0.1). */
  readonly host?: string;
  readonly port?: number;
}

export interface LocalAgentCoreIdentityEndpoint {
  /** Give this to the SDK client as `endpoint`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A local AgentCore Identity data plane for `GetWorkloadAccessTokenForUserId` (REST-JSON,
 * `POST /identities/GetWorkloadAccessTokenForUserId` with `{ workloadName, userId }`, answering
 * `{ workloadAccessToken }`), so the real `@aws-sdk/client-bedrock-agentcore` reaches it with only
 * an endpoint override. ResourceNotFoundException for an unknown workload, ValidationException for a
 * body it cannot read or a userId outside 1–128 characters, errors named in `x-amzn-errortype`.
 */
export async function startLocalAgentCoreIdentityEndpoint(
  options: LocalAgentCoreIdentityEndpointOptions,
): Promise<LocalAgentCoreIdentityEndpoint> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackUrl(`http://${host.includes(':') ? `[${host}]` : host}`))
    throw new Error(`host: the local AgentCore Identity endpoint listens on loopback only, not ${host}`);
  const workloads = new Set(options.workloads);

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'InternalServerException', 'internal error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== PATH) {
      req.resume();
      return sendError(res, 404, 'UnknownOperationException', 'unknown operation');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        req.resume();
        return validation(res, 'CannotParse', 'The request body is too large');
      }
      chunks.push(chunk as Buffer);
    }
    let body: { workloadName?: unknown; userId?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return validation(res, 'CannotParse', 'The request body is not JSON');
    }
    if (typeof body !== 'object' || body === null)
      return validation(res, 'CannotParse', 'The request body is not a JSON object');
    const { workloadName, userId } = body;
    if (typeof workloadName !== 'string' || workloadName === '')
      return validation(res, 'FieldValidationFailed', 'workloadName is required', 'workloadName');
    if (typeof userId !== 'string' || userId.length < 1 || userId.length > USER_ID_MAX) {
      return validation(
        res,
        'FieldValidationFailed',
        `1 validation error detected: Value at 'userId' failed to satisfy constraint: Member must have length between 1 and ${USER_ID_MAX}`,
        'userId',
      );
    }
    if (!workloads.has(workloadName))
      return sendError(res, 404, 'ResourceNotFoundException', `Workload identity ${workloadName} not found`);
    const token = await options.issue(workloadName, userId);
    const answer = JSON.stringify({ workloadAccessToken: token });
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(answer),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(answer);
  }

  server.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

function validation(res: ServerResponse, reason: string, message: string, field?: string): void {
  sendError(res, 400, 'ValidationException', message, {
    reason,
    ...(field === undefined ? {} : { fieldList: [{ name: field, message }] }),
  });
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  const body = JSON.stringify({ message, ...extra });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': type,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
}
