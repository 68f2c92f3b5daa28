import { describe, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../infra/local/dev-auth.js';
import {
  DEFAULT_JWT_AUDIENCE,
  DEV_JWT_ISSUER,
  parseStageConfig,
  StageConfigError,
  stageConfigFromContext,
} from '../../infra/stage.js';

/** Stage configuration: defaults per stage, context values as the CLI passes them, and refusals. */

const PROD_ISSUER = 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0';

describe('stage configuration', () => {
  it('defaults to a dev stage that keeps nothing and retains logs two weeks', () => {
    expect(parseStageConfig()).toEqual({
      stage: 'dev',
      retain: false,
      schedule: 'cron(0 3 * * ? *)',
      scheduleEnabled: true,
      scheduleTimezone: 'UTC',
      scheduleWindowMinutes: 60,
      syncBeforeCompare: false,
      workflowType: 'standard',
      jwtIssuer: 'https://baseline-drift.local/dev',
      jwtAudience: ['baseline-drift-api'],
      apiThrottleRateLimit: 50,
      apiThrottleBurstLimit: 100,
      apiMaxBodyBytes: 1048576,
      apiCorsOrigins: [],
      consoleScope: 'openid profile',
      consoleAuthOrigins: [],
      tenantSecretPrefix: 'baseline-drift/dev/tenants/',
      graphBaseUrl: 'https://graph.microsoft.com',
      graphTokenUrlTemplate: 'https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token',
      logRetentionDays: 14,
      mapMaxConcurrency: 4,
      executionTimeoutMinutes: 60,
      logLevel: 'INFO',
      eventSource: 'baseline-drift-engine',
    });
  });

  it('uses the issuer and audience of the local development tokens by default', () => {
    expect(DEV_JWT_ISSUER).toBe(DEV_ISSUER);
    expect(DEFAULT_JWT_AUDIENCE).toBe(DEV_AUDIENCE);
  });

  it('retains data and keeps logs a year for prod unless told otherwise', () => {
    expect(parseStageConfig({ stage: 'prod', jwtIssuer: PROD_ISSUER })).toMatchObject({
      retain: true,
      logRetentionDays: 365,
      jwtIssuer: PROD_ISSUER,
      tenantSecretPrefix: 'baseline-drift/prod/tenants/',
    });
    expect(parseStageConfig({ stage: 'prod', retain: 'false', logRetentionDays: '30' })).toMatchObject({
      retain: false,
      logRetentionDays: 30,
    });
  });

  it('refuses a retained stage without its own token issuer', () => {
    expect(() => parseStageConfig({ stage: 'prod' })).toThrow(/jwtIssuer: a retained stage must name its identity provider/);
    expect(() => parseStageConfig({ stage: 'dev', retain: true, jwtIssuer: DEV_JWT_ISSUER })).toThrow(StageConfigError);
    expect(() => parseStageConfig({ stage: 'dev', retain: true, jwtIssuer: PROD_ISSUER })).not.toThrow();
  });

  it('reads string context values as the CLI passes them (-c mapMaxConcurrency=8)', () => {
    const context: Record<string, unknown> = {
      stage: 'test',
      mapMaxConcurrency: '8',
      scheduleEnabled: 'false',
      syncBeforeCompare: 'true',
      scheduleWindowMinutes: '30',
      scheduleTimezone: 'Europe/Berlin',
      jwtAudience: 'portal, api://baseline-drift',
      apiCorsOrigins: 'https://portal.example.com,http://localhost:5173',
      apiThrottleRateLimit: '20',
      apiThrottleBurstLimit: '40',
      workflowType: 'standard-express-children',
      unrelated: 'x',
    };
    expect(stageConfigFromContext((key) => context[key])).toMatchObject({
      stage: 'test',
      mapMaxConcurrency: 8,
      scheduleEnabled: false,
      syncBeforeCompare: true,
      scheduleWindowMinutes: 30,
      scheduleTimezone: 'Europe/Berlin',
      jwtAudience: ['portal', 'api://baseline-drift'],
      apiCorsOrigins: ['https://portal.example.com', 'http://localhost:5173'],
      apiThrottleRateLimit: 20,
      apiThrottleBurstLimit: 40,
      workflowType: 'standard-express-children',
    });
  });

  it('takes lists as JSON arrays too (cdk.json context)', () => {
    expect(parseStageConfig({ jwtAudience: ['a', 'b'], apiCorsOrigins: ['*'] })).toMatchObject({
      jwtAudience: ['a', 'b'],
      apiCorsOrigins: ['*'],
    });
  });

  it('refuses invalid values, naming every field', () => {
    const attempt = () =>
      parseStageConfig({
        stage: 'Prod!',
        mapMaxConcurrency: 0,
        logRetentionDays: 10,
        schedule: 'every day',
        alarmEmail: 'nope',
        scheduleTimezone: 'Mars/Olympus',
        scheduleWindowMinutes: 0,
        workflowType: 'express',
        jwtIssuer: 'http://issuer.example.com',
        jwtAudience: '',
        apiMaxBodyBytes: 8 * 1024 * 1024,
        apiCorsOrigins: 'portal.example.com',
        tenantSecretPrefix: 'tenants with spaces/',
        graphTokenUrlTemplate: 'https://login.example.com/token',
      });
    expect(attempt).toThrow(StageConfigError);
    for (const field of [
      'stage',
      'mapMaxConcurrency',
      'logRetentionDays',
      'schedule',
      'alarmEmail',
      'scheduleTimezone',
      'scheduleWindowMinutes',
      'workflowType',
      'jwtIssuer',
      'jwtAudience',
      'apiMaxBodyBytes',
      'apiCorsOrigins.0',
      'tenantSecretPrefix',
      'graphTokenUrlTemplate',
    ]) {
      expect(attempt).toThrow(new RegExp(`(: |; )${field.replace('.', '\\.')}: `));
    }
  });

  it('refuses a throttling burst below the rate', () => {
    expect(() => parseStageConfig({ apiThrottleRateLimit: 100, apiThrottleBurstLimit: 10 })).toThrow(/apiThrottleBurstLimit: /);
  });
});
