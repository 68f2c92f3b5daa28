import { describe, expect, it } from 'vitest';
import { parseStageConfig, StageConfigError, stageConfigFromContext } from '../../infra/stage.js';

/** Stage configuration: defaults per stage, context values as the CLI passes them, and refusals. */

describe('stage configuration', () => {
  it('defaults to a dev stage that keeps nothing and retains logs two weeks', () => {
    expect(parseStageConfig()).toEqual({
      stage: 'dev',
      retain: false,
      schedule: 'cron(0 3 * * ? *)',
      scheduleEnabled: true,
      logRetentionDays: 14,
      mapMaxConcurrency: 4,
      executionTimeoutMinutes: 60,
      logLevel: 'INFO',
      eventSource: 'baseline-drift-engine',
    });
  });

  it('retains data and keeps logs a year for prod unless told otherwise', () => {
    expect(parseStageConfig({ stage: 'prod' })).toMatchObject({ retain: true, logRetentionDays: 365 });
    expect(parseStageConfig({ stage: 'prod', retain: 'false', logRetentionDays: '30' })).toMatchObject({
      retain: false,
      logRetentionDays: 30,
    });
  });

  it('reads string context values as the CLI passes them (-c mapMaxConcurrency=8)', () => {
    const context: Record<string, unknown> = { stage: 'test', mapMaxConcurrency: '8', scheduleEnabled: 'false', unrelated: 'x' };
    expect(stageConfigFromContext((key) => context[key])).toMatchObject({
      stage: 'test',
      mapMaxConcurrency: 8,
      scheduleEnabled: false,
    });
  });

  it('refuses invalid values, naming every field', () => {
    const attempt = () =>
      parseStageConfig({ stage: 'Prod!', mapMaxConcurrency: 0, logRetentionDays: 10, schedule: 'every day', alarmEmail: 'nope' });
    expect(attempt).toThrow(StageConfigError);
    for (const field of ['stage', 'mapMaxConcurrency', 'logRetentionDays', 'schedule', 'alarmEmail']) {
      expect(attempt).toThrow(new RegExp(`(: |; )${field}: `));
    }
  });
});
