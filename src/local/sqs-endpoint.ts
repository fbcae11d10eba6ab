import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message the local endpoint accepted, as SQS would hold it. */
export interface LocalSqsMessage {
  readonly queueUrl: string;
  readonly messageId: string;
  readonly body: string;
  readonly messageGroupId: string | undefined;
  readonly messageDeduplicationId: string | undefined;
  readonly sequenceNumber: string | undefined;
}

export interface LocalSqsEndpoint {
  /** Give this to the SDK client as `endpoint`. */
  readonly url: string;
  /** The URL of a queue this endpoint holds (`…/000000000000/<name>`). */
  queueUrl(name: string): string;
  /** Messages accepted so far, in order (deduplicated sends are not repeated). */
  readonly messages: readonly LocalSqsMessage[];
  close(): Promise<void>;
}

/** SQS FIFO's deduplication interval. */
const DEDUP_WINDOW_MS = 5 * 60_000;

/**
 * A local Amazon SQS endpoint for `SendMessage` over the JSON protocol (`X-Amz-Target:
 * AmazonSQS.SendMessage`, `application/x-amz-json-1.0`), so the real `@aws-sdk/client-sqs` reaches it
 * with only an endpoint override. It records what it accepts and keeps SQS FIFO's rules: a `.fifo`
 * queue needs `MessageGroupId` and `MessageDeduplicationId` (content-based deduplication is off), and
 * a second send with the same deduplication id within five minutes is answered as the first and not
 * recorded again. Errors carry `x-amzn-query-error` and `__type` as SQS's do. Loopback only.
 */
export async function startLocalSqs(options: {
  readonly queues: readonly string[];
}): Promise<LocalSqsEndpoint> {
  const messages: LocalSqsMessage[] = [];
  const seen = new Map<string, { at: number; message: LocalSqsMessage }>();
  let sequence = 0n;
  let base = '';
  const queueUrl = (name: string) => `${base}/000000000000/${name}`;
  const server = createServer((req, res) => {
    handle(req, res).catch(() => fail(res, 500, 'InternalFailure', 'internal error'));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target !== 'AmazonSQS.SendMessage')
      return fail(res, 400, 'UnsupportedOperation', `${target || 'this operation'} is not supported here`);
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return fail(res, 400, 'InvalidParameterValue', 'the request body is not JSON');
    }
    const url = typeof input.QueueUrl === 'string' ? input.QueueUrl : '';
    const name = options.queues.find((q) => queueUrl(q) === url);
    if (name === undefined)
      return fail(
        res,
        400,
        'QueueDoesNotExist',
        'The specified queue does not exist.',
        'AWS.SimpleQueueService.NonExistentQueue',
      );
    const body = typeof input.MessageBody === 'string' ? input.MessageBody : '';
    if (body === '')
      return fail(res, 400, 'MissingParameter', 'The request must contain the parameter MessageBody.');
    const groupId = typeof input.MessageGroupId === 'string' ? input.MessageGroupId : undefined;
    const dedupId =
      typeof input.MessageDeduplicationId === 'string' ? input.MessageDeduplicationId : undefined;
    const fifo = name.endsWith('.fifo');
    if (fifo && groupId === undefined)
      return fail(res, 400, 'MissingParameter', 'The request must contain the parameter MessageGroupId.');
    if (fifo && dedupId === undefined)
      return fail(
        res,
        400,
        'InvalidParameterValue',
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    const now = Date.now();
    const key = `${url}\n${dedupId ?? ''}`;
    const earlier = fifo ? seen.get(key) : undefined;
    const message =
      earlier !== undefined && now - earlier.at < DEDUP_WINDOW_MS
        ? earlier.message
        : {
            queueUrl: url,
            messageId: randomUUID(),
            body,
            messageGroupId: groupId,
            messageDeduplicationId: dedupId,
            sequenceNumber: fifo ? String(++sequence).padStart(20, '0') : undefined,
          };
    if (message !== earlier?.message) {
      messages.push(message);
      if (fifo) seen.set(key, { at: now, message });
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(
      JSON.stringify({
        MessageId: message.messageId,
        MD5OfMessageBody: createHash('md5').update(message.body, 'utf8').digest('hex'),
        ...(message.sequenceNumber === undefined ? {} : { SequenceNumber: message.sequenceNumber }),
      }),
    );
  }

  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    queueUrl,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function fail(res: ServerResponse, status: number, code: string, message: string, queryCode = code): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-query-error': `${queryCode};Sender`,
  });
  res.end(JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message }));
}
