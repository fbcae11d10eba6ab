import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoDbClients {
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
}

/** Static credentials for a local engine: the SDK then never walks the credential chain. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * DynamoDB clients. A local engine is given static `credentials` (`true`: the shared dummy ones), so
 * the SDK never walks the credential chain (which could reach for instance metadata on the network).
 */
export function createDynamoDbClients(options: {
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly local: boolean | { readonly accessKeyId: string; readonly secretAccessKey: string };
}): DynamoDbClients {
  const credentials =
    options.local === true ? LOCAL_CREDENTIALS : options.local === false ? undefined : options.local;
  const client = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
    maxAttempts: 5,
  });
  // The SDK's logger middleware deep-copies every request and response through its sensitive-data
  // filter to hand them to a logger that discards them (the default NoOpLogger): a tenth of a bulk
  // ingest's CPU. SettleOps logs its own operations, so the middleware goes.
  client.middlewareStack.remove('loggerMiddleware');
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { client, doc };
}
