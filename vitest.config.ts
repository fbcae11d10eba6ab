import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The integration files mostly wait (on DynamoDB Local, child processes, loopback servers): on a
    // 2-CPU machine Vitest's default of one worker per spare CPU would run them one at a time.
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // One DynamoDB Local for the whole run; each test file creates its own tables.
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          environment: 'node',
          // Each file synthesizes the stack once in beforeAll (CloudFormation validation included).
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
