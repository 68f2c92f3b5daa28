/** Severity of a finding (docs/compare.md, "Severity"): from the profile's mapping per change type. */
import type { ChangeType, Severity, SeverityMapping } from './model.js';
import { SEVERITIES } from './model.js';

export const DEFAULT_SEVERITY_MAPPING: Readonly<SeverityMapping> = Object.freeze({
  missing_policy: 'high',
  different_version: 'medium',
  unexpected_policy: 'low',
});

/** The severity of a change type under `mapping` (a partial mapping falls back to the default). */
export function severityFor(changeType: ChangeType, mapping?: Partial<SeverityMapping>): Severity {
  return mapping?.[changeType] ?? DEFAULT_SEVERITY_MAPPING[changeType];
}

/** Rank of a severity: low 0, medium 1, high 2, critical 3. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** True when `a` is `min` or more severe. */
export function severityAtLeast(a: Severity, min: Severity): boolean {
  return severityRank(a) >= severityRank(min);
}
