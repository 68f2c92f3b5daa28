import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'console/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One DynamoDB Local for the run; test files read its endpoint with inject('dynamoEndpoint').
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default'],
  },
});
