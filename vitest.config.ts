import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Test projects. `unit` is pure logic: no global setup, so `npm run test:unit` starts no JVM. Every
 * other project runs against one DynamoDB Local (in memory) that the first of them starts and the last
 * one's teardown stops (see test/support/global-setup.ts); its files read the endpoint with
 * `inject('dynamoEndpoint')`. Run one with `npx vitest run --project <name>`.
 */
const WITH_DYNAMODB_LOCAL = ['test/support/global-setup.ts'];

function project(name: string, include: string[], globalSetup: string[] = WITH_DYNAMODB_LOCAL): TestProjectInlineConfiguration {
  return { extends: true, test: { name, include, globalSetup } };
}

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      project('unit', ['test/unit/**/*.test.ts'], []),
      project('integration', ['test/integration/**/*.test.ts']),
      project('pipeline', ['test/pipeline/**/*.test.ts']),
      project('api', ['test/api/**/*.test.ts']),
      project('infra', ['test/infra/**/*.test.ts']),
      project('chaos', ['test/chaos/**/*.test.ts']),
      project('bench', ['test/bench/**/*.test.ts']),
    ],
  },
});
