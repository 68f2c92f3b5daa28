/**
 * Hostile callers on every route: bad tokens (none, garbage, expired, not yet valid, wrong issuer or
 * audience, `alg: none`, signed by another key) answer 401; a token of another workspace, or of the
 * same workspace without the tenant, answers 404 for the victim's resources; a reader on a write
 * route answers 403. No response (of any status) may carry the victim's data, no hostile request
 * may write, and the attacker's own listings must hold nothing of the victim.
 */
import { apiRoutes } from '../../../functions/api/app.js';
import type { AnyRoute } from '../../../functions/api/routes.js';
import { BAD_TOKEN_KINDS, badToken, type ApiHarness, type Party } from './api.js';

export interface IsolationReport {
  attempts: number;
  /** Responses that carried a victim marker, or hostile requests that wrote. */
  leaks: number;
  /** Answers other than the status issue 5 specifies. */
  wrongStatus: number;
  /** Tables changed across the phase (0 or 1). */
  tablesChanged: number;
  details: string[];
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The route's path with the party's ids. */
export function pathFor(route: AnyRoute, p: Party, ids: { runId: string; fingerprint: string }): string {
  return route.path
    .replace('{profileId}', encodeURIComponent(p.profileId))
    .replace('{tenantId}', encodeURIComponent(p.tenantId))
    .replace('{snapshotId}', encodeURIComponent(p.snapshotId))
    .replace('{runId}', encodeURIComponent(ids.runId))
    .replace('{fingerprint}', encodeURIComponent(ids.fingerprint))
    .replace('{linkId}', 'sl-000000000000000000000000');
}

/** A body the route accepts from an authorised caller (so that only the caller can be the reason to refuse). */
export function validBody(route: AnyRoute, p: Party): string | undefined {
  const key = `${route.method} ${route.path}`;
  switch (key) {
    case 'POST /baseline-profiles':
      return JSON.stringify({ name: 'Hostile profile', scope: { policy_types: ['deviceCompliancePolicy'], foundation_types: [] } });
    case 'PATCH /baseline-profiles/{profileId}':
      return JSON.stringify({ versionLabel: 'hostile' });
    case 'POST /baseline-profiles/{profileId}/snapshots':
      return JSON.stringify({ sourceTenantId: p.tenantId });
    case 'PUT /baseline-profiles/{profileId}/assignments/{tenantId}':
      return JSON.stringify({});
    case 'POST /tenants/{tenantId}/inventory-syncs':
      return JSON.stringify({ pageNumber: 1, last: true, items: { deviceCompliancePolicy: [] }, coverage: { policy_types: { deviceCompliancePolicy: { status: 'succeeded' } } } });
    case 'POST /tenants/{tenantId}/baseline-compares':
      return JSON.stringify({ profileId: p.profileId });
    case 'POST /tenants/{tenantId}/findings/{fingerprint}/transitions':
      return JSON.stringify({ to: 'triaged' });
    case 'PUT /tenants/{tenantId}/group-mappings':
      return JSON.stringify({ mappings: [{ baselineGroup: 'Finance Devices', tenantGroupId: '6a1d2f3e-aaaa-4b5c-9d8e-000000000002' }] });
    case 'POST /tenants/{tenantId}/subject-links':
      return JSON.stringify({ policyType: 'deviceCompliancePolicy', baselineSubjectKey: 'deviceCompliancePolicy:windows compliance', tenantDisplayName: 'Hostile rename' });
    case 'PUT /tenants/{tenantId}':
      return JSON.stringify({ displayName: 'Hostile name' });
    case 'POST /webhooks':
      return JSON.stringify({ url: 'http://127.0.0.1:9/hostile', events: ['finding.opened'] });
    default:
      return WRITE_METHODS.has(route.method) ? '{}' : undefined;
  }
}

function usesTenant(route: AnyRoute): boolean {
  return route.path.includes('{tenantId}') || route.path.includes('{runId}');
}

function usesVictimResource(route: AnyRoute): boolean {
  return /\{(profileId|tenantId|snapshotId|runId|fingerprint)\}/.test(route.path);
}

export async function runIsolation(h: ApiHarness): Promise<IsolationReport> {
  const report: IsolationReport = { attempts: 0, leaks: 0, wrongStatus: 0, tablesChanged: 0, details: [] };
  const routes = apiRoutes().filter((r) => r.access !== 'public');
  const victimIds = { runId: h.victim.compareRunId, fingerprint: h.victim.findings[0]!.fingerprint };
  const before = await h.tablesDigest();

  const attempt = async (label: string, route: AnyRoute, token: string | undefined, expected: number[] | 'no-leak', p: Party = h.victim) => {
    const path = pathFor(route, p, p === h.victim ? victimIds : { runId: h.attacker.compareRunId, fingerprint: h.attacker.findings[0]!.fingerprint });
    const body = validBody(route, p);
    const writesBefore = h.writes.count();
    const res = await h.request(route.method, path, { ...(token !== undefined ? { token } : {}), ...(body !== undefined ? { body } : {}) });
    const wrote = h.writes.count() - writesBefore;
    report.attempts += 1;
    const sent = `${path} ${body ?? ''}`;
    const leaked = h.victimMarkers.filter((m) => !sent.includes(m) && res.text.includes(m));
    if (leaked.length > 0 || (expected !== 'no-leak' && wrote > 0)) {
      report.leaks += 1;
      report.details.push(`${label} ${route.method} ${route.path}: ${leaked.length > 0 ? `response carries ${leaked.slice(0, 3).join(', ')}` : `${wrote} write(s)`}`);
    }
    if (expected !== 'no-leak' && !expected.includes(res.status)) {
      report.wrongStatus += 1;
      report.details.push(`${label} ${route.method} ${route.path}: ${res.status}, expected ${expected.join('|')}`);
    }
    if (expected !== 'no-leak' && res.status >= 400 && !res.contentType.startsWith('application/problem+json')) {
      report.wrongStatus += 1;
      report.details.push(`${label} ${route.method} ${route.path}: ${res.status} as ${res.contentType || 'no content type'}, not problem+json`);
    }
  };

  const attackerAdmin = await h.token(h.attacker, 'admin');
  const sameWorkspaceOtherTenant = await h.token(h.victim, 'admin', [h.victim.otherTenantId]);
  const reader = await h.token(h.victim, 'reader');
  for (const route of routes) {
    for (const kind of BAD_TOKEN_KINDS) await attempt(`token ${kind}`, route, await badToken(h, kind), [401]);
    if (usesVictimResource(route)) await attempt('another workspace', route, attackerAdmin, [404]);
    if (usesTenant(route)) await attempt('same workspace, tenant not granted', route, sameWorkspaceOtherTenant, [404]);
    if (WRITE_METHODS.has(route.method) && route.access !== 'reader') await attempt('reader on a write route', route, reader, [403]);
  }
  await h.settle();
  const after = await h.tablesDigest();
  if (after !== before) {
    report.tablesChanged = 1;
    report.leaks += 1;
    report.details.push('the tables changed during the hostile calls');
  }
  // The attacker's own listings (allowed, and may write nothing of the victim's into the answer).
  const attackerReader = await h.token(h.attacker, 'reader');
  for (const route of apiRoutes().filter((r) => r.method === 'GET' && r.access !== 'public')) {
    await attempt('attacker listing its own', route, attackerReader, 'no-leak', h.attacker);
  }
  return report;
}
