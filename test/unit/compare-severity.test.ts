import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING, severityAtLeast, severityFor, severityRank } from '../../shared/domain/severity.js';
import { SEVERITIES } from '../../shared/domain/model.js';

describe('severity (design 2.10)', () => {
  it('defaults: missing_policy high, different_version medium, unexpected_policy low', () => {
    expect(DEFAULT_SEVERITY_MAPPING).toEqual({ missing_policy: 'high', different_version: 'medium', unexpected_policy: 'low' });
    expect(severityFor('missing_policy')).toBe('high');
    expect(severityFor('different_version')).toBe('medium');
    expect(severityFor('unexpected_policy')).toBe('low');
  });

  it("uses the profile's mapping, falling back to the default for what it leaves out", () => {
    const mapping = { missing_policy: 'critical', different_version: 'low', unexpected_policy: 'high' } as const;
    expect(severityFor('missing_policy', mapping)).toBe('critical');
    expect(severityFor('different_version', mapping)).toBe('low');
    expect(severityFor('unexpected_policy', mapping)).toBe('high');
    expect(severityFor('different_version', { missing_policy: 'low' })).toBe('medium');
  });

  it('the default mapping cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_SEVERITY_MAPPING)).toBe(true);
  });

  it('severityAtLeast orders low < medium < high < critical', () => {
    for (const a of SEVERITIES) {
      for (const min of SEVERITIES) {
        expect(severityAtLeast(a, min)).toBe(SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(min));
      }
    }
    expect(severityAtLeast('high', 'high')).toBe(true);
    expect(severityAtLeast('medium', 'high')).toBe(false);
    expect(severityAtLeast('critical', 'low')).toBe(true);
    expect(['low', 'medium', 'high', 'critical'].map((s) => severityRank(s as 'low'))).toEqual([0, 1, 2, 3]);
  });
});
