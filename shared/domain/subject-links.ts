/**
 * Subject links (the issue "Tenant exceptions", part 3): a policy renamed in the tenant is matched with
 * its baseline subject by hand. A link names the baseline subject by its key (`deviceConfiguration:win
 * - kiosk`, docs/identity.md) and the tenant's policy by its name; the compare then takes the tenant's
 * policy under the baseline subject's key, so the pair is one compared subject instead of a
 * `missing_policy` plus an `unexpected_policy`. A link whose tenant policy no longer exists is a
 * `subject_link_broken` gap for the baseline subject, never a silent missing finding.
 *
 * Pure: the compare applies the links to the current side's summaries before matching.
 */
import type { RegistryTypeKey, SubjectLink, SubjectSummary } from './model.js';
import { sha256Hex } from './canonical.js';
import { InvalidSubjectLinkError } from './errors.js';

export { InvalidSubjectLinkError };
import { normalizeName } from './names.js';
import { subjectKeyOf } from './subject.js';

/** Most links a tenant may keep (they live in one item). */
export const MAX_SUBJECT_LINKS = 500;

/** The link's id: one per (tenant, baseline subject), so a second link for that subject replaces the first. */
export function subjectLinkIdOf(baselineSubjectKey: string): string {
  return `sl-${sha256Hex(baselineSubjectKey).slice(0, 24)}`;
}

/**
 * The link as stored: `baselineSubjectKey` normalized as a subject key of `policyType` (a key written
 * with other case or spacing is the same key). Refuses a key of another type, an empty name, and a
 * link whose two names are the same subject already.
 */
export function normalizeSubjectLink(input: { policyType: RegistryTypeKey; baselineSubjectKey: string; tenantDisplayName: string }): {
  policyType: RegistryTypeKey;
  baselineSubjectKey: string;
  tenantDisplayName: string;
} {
  const prefix = `${input.policyType}:`;
  if (!input.baselineSubjectKey.startsWith(prefix)) {
    throw new InvalidSubjectLinkError(
      'baselineSubjectKey',
      `baselineSubjectKey '${input.baselineSubjectKey.slice(0, 200)}' is not a subject of ${input.policyType}: write it '${prefix}<baseline policy name>' (as a finding's subjectKey shows it)`,
    );
  }
  const baselineName = input.baselineSubjectKey.slice(prefix.length);
  if (normalizeName(baselineName) === '') {
    throw new InvalidSubjectLinkError('baselineSubjectKey', `baselineSubjectKey names no policy: write '${prefix}<baseline policy name>'`);
  }
  if (normalizeName(input.tenantDisplayName) === '') {
    throw new InvalidSubjectLinkError('tenantDisplayName', "tenantDisplayName is blank: send the tenant's policy name as the tenant shows it");
  }
  const baselineSubjectKey = subjectKeyOf(input.policyType, baselineName);
  if (subjectKeyOf(input.policyType, input.tenantDisplayName) === baselineSubjectKey) {
    throw new InvalidSubjectLinkError(
      'tenantDisplayName',
      `'${input.tenantDisplayName.slice(0, 200)}' is already the same subject as the baseline one (names compare without case and spacing): no link is needed`,
    );
  }
  return { policyType: input.policyType, baselineSubjectKey, tenantDisplayName: input.tenantDisplayName };
}

export interface AppliedSubjectLinks {
  /** The current side, linked policies under their baseline subject's key (`linkedFrom` set). */
  current: SubjectSummary[];
  /** Baseline subject key -> the link whose tenant policy no longer exists. */
  broken: Map<string, { linkId: string; tenantDisplayName: string }>;
}

/**
 * Applies the links of `policyType` to the current side. A link applies only while the baseline has
 * its subject (a link to a subject the snapshot no longer holds changes nothing). A tenant policy is
 * taken by one link at most (the first by baseline key); a link left without a tenant policy is broken.
 */
export function applySubjectLinks(
  policyType: RegistryTypeKey,
  baseline: readonly SubjectSummary[],
  current: readonly SubjectSummary[],
  links: readonly Pick<SubjectLink, 'linkId' | 'policyType' | 'baselineSubjectKey' | 'tenantDisplayName'>[],
): AppliedSubjectLinks {
  const broken = new Map<string, { linkId: string; tenantDisplayName: string }>();
  const mine = links.filter((l) => l.policyType === policyType).sort((a, b) => (a.baselineSubjectKey < b.baselineSubjectKey ? -1 : a.baselineSubjectKey > b.baselineSubjectKey ? 1 : 0));
  if (mine.length === 0) return { current: [...current], broken };
  const baselineKeys = new Set(baseline.map((s) => s.subjectKey));
  const byKey = new Map<string, SubjectSummary[]>();
  for (const s of current) byKey.set(s.subjectKey, [...(byKey.get(s.subjectKey) ?? []), s]);
  const moved = new Map<SubjectSummary, SubjectSummary>();
  const taken = new Set<string>();
  for (const link of mine) {
    if (!baselineKeys.has(link.baselineSubjectKey)) continue;
    const tenantKey = subjectKeyOf(policyType, link.tenantDisplayName);
    if (tenantKey === link.baselineSubjectKey) continue;
    const found = taken.has(tenantKey) ? [] : (byKey.get(tenantKey) ?? []);
    if (found.length === 0) {
      broken.set(link.baselineSubjectKey, { linkId: link.linkId, tenantDisplayName: link.tenantDisplayName });
      continue;
    }
    taken.add(tenantKey);
    for (const s of found) moved.set(s, { ...s, subjectKey: link.baselineSubjectKey, linkedFrom: { subjectKey: s.subjectKey, linkId: link.linkId } });
  }
  return { current: current.map((s) => moved.get(s) ?? s), broken };
}
