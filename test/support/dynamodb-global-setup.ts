import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/config.ts';
import { ensureDynamoDbLocal } from '../../src/local/dynamodb-local/artifact.ts';
import { startDynamoDbLocal } from '../../src/local/dynamodb-local/launcher.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

/** One in-memory DynamoDB Local for the whole run (or the DynamoDB named by DYNAMODB_ENDPOINT). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = loadConfig();
  if (config.dynamodb.endpoint !== undefined) {
    project.provide('dynamodbEndpoint', config.dynamodb.endpoint);
    return async () => {};
  }
  const engineDir = await ensureDynamoDbLocal(config.cacheDir, (m) => console.log(m));
  const ddb = await startDynamoDbLocal({ engineDir, storage: { kind: 'memory' } });
  project.provide('dynamodbEndpoint', ddb.endpoint);
  return () => ddb.stop();
}
