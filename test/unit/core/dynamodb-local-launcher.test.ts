import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assertJavaAvailable,
  JavaMissingError,
  startDynamoDbLocal,
} from '../../../src/local/dynamodb-local/launcher.ts';

describe('DynamoDB Local launcher without Java', () => {
  const originalPath = process.env.PATH;
  let emptyDir = '';

  beforeEach(async () => {
    emptyDir = await mkdtemp(join(tmpdir(), 'settleops-no-java-'));
    process.env.PATH = emptyDir;
  });

  afterEach(async () => {
    if (originalPath === undefined) delete process.env.PATH;
    else process.env.PATH = originalPath;
    await rm(emptyDir, { recursive: true, force: true });
  });

  it('rejects startDynamoDbLocal with a JavaMissingError that says what to do', async () => {
    const started = startDynamoDbLocal({ engineDir: emptyDir, storage: { kind: 'memory' } });
    await expect(started).rejects.toBeInstanceOf(JavaMissingError);
    await expect(started).rejects.toMatchObject({
      name: 'JavaMissingError',
      message: expect.stringMatching(/Install Java 17\+/),
    });
    await expect(started).rejects.toThrow(/set DYNAMODB_ENDPOINT/);
  });

  it('throws the same error from assertJavaAvailable', () => {
    expect(() => assertJavaAvailable()).toThrow(new JavaMissingError());
  });
});

describe('JavaMissingError', () => {
  it('names Java 17+ and DYNAMODB_ENDPOINT', () => {
    const error = new JavaMissingError();
    expect([error.name, error.message]).toStrictEqual([
      'JavaMissingError',
      'DynamoDB Local needs Java 17 or later and no `java` was found on PATH. Install Java 17+ ' +
        '(e.g. `apt-get install openjdk-17-jre-headless`, `brew install openjdk@17`) or set ' +
        'DYNAMODB_ENDPOINT to a DynamoDB you already run.',
    ]);
    expect(error).toBeInstanceOf(Error);
  });
});
