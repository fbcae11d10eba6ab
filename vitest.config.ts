import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The integration files mostly wait (on DynamoDB Local, child processes, loopback servers): on a
    // 2-CPU machine five at a time keep both CPUs busy (three left them a quarter idle; measured on
    // clean-clone runs: 3 workers 689 s, 4 workers 538 s).
    maxWorkers: 5,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Unit files keep no state between them: one module graph per worker instead of one per
          // file (importing the SDKs again for each of ~90 files was most of their time).
          isolate: false,
          // Timeouts are a safety net, not a speed check (benchmarks live in bench/): generous enough
          // for a CI machine that is busy with the integration files at the same time.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Each file makes its own tables, servers and clients and closes them: the files share one
          // module graph per worker (importing the AWS SDKs again per file cost minutes of CPU).
          isolate: false,
          unstubEnvs: true,
          // One DynamoDB Local for the whole run; each test file creates its own tables.
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
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
