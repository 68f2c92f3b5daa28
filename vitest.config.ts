import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Test projects. `unit` is pure logic: no global setup, so `npm run test:unit` starts no JVM. Every
 * other project runs against one DynamoDB Local (in memory) that the first of them starts and the last
 * one's teardown stops (see test/support/global-setup.ts); its files read the endpoint with
 * `inject('dynamoEndpoint')`, and `test/support/dynamodb-setup.ts` puts it in `process.env` before each file. Run one with `npx vitest run --project <name>`.
 */
const WITH_DYNAMODB_LOCAL = ['test/support/global-setup.ts'];

function project(name: string, include: string[], globalSetup: string[] = WITH_DYNAMODB_LOCAL): TestProjectInlineConfiguration {
  const setupFiles = globalSetup.length > 0 ? ['test/support/dynamodb-setup.ts'] : [];
  return { extends: true, test: { name, include, globalSetup, setupFiles } };
}

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      project('unit', ['test/unit/**/*.test.ts', 'console/test/**/*.test.ts'], []),
      project('integration', ['test/integration/**/*.test.ts']),
      project('pipeline', ['test/pipeline/**/*.test.ts']),
      project('api', ['test/api/**/*.test.ts']),
      project('infra', ['test/infra/**/*.test.ts']),
      project('chaos', ['test/chaos/**/*.test.ts']),
      project('bench', ['test/bench/**/*.test.ts']),
      project('e2e', ['test/e2e/**/*.test.ts']),
    ],
  },
});
