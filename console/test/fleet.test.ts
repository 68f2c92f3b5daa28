/**
 * The fleet matrix's pieces as pure functions: every state has a text label of its own (colour only
 * adds to it), where a cell leads (the tenant's findings of that type and change, or its last compare),
 * and the accept form's expiry as the end of the chosen day in UTC.
 */
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { Schemas } from '../src/api/client';
import { Badge } from '../src/components';
import { FLEET_STATES, label, tone } from '../src/format';
import { parseRoute } from '../src/route';
import { expiryOf } from '../src/views/finding';
import { cellHref } from '../src/views/fleet';

const tenant: Schemas['FleetTenant'] = {
  tenantId: '3f9a6d1c-0000-4000-8000-000000000001',
  displayName: 'Fabrikam',
  lastCompare: { runId: 'run-1', outcome: 'succeeded', completedAt: '2026-12-04T21:42:08.036Z' },
  counts: { aligned: 9, aligned_meta: 0, missing_policy: 1, unexpected_policy: 1, different_version: 3, gaps: 0, uncovered_types: 0, accepted: 0 },
};
const subject: Schemas['FleetSubject'] = {
  subjectKey: 'conditionalAccessPolicy:ca002 - all users - block legacy authentication',
  displayName: 'CA002 - All users - Block legacy authentication',
  policyType: 'conditionalAccessPolicy',
  states: { [tenant.tenantId]: 'missing_policy' },
};

describe('fleet states', () => {
  it('has a distinct text label for every state, rendered inside the badge', () => {
    const labels = FLEET_STATES.map((s) => label(s));
    expect(new Set(labels).size).toBe(FLEET_STATES.length);
    for (const s of FLEET_STATES) {
      expect(label(s)).not.toContain('_');
      expect(renderToString(h(Badge, { value: s }))).toBe(`<span class="badge tone-${tone(s)}">${label(s)}</span>`);
    }
    expect(label('not_compared')).toBe('Not compared');
    expect(tone('aligned')).toBe('ok');
    expect(tone('missing_policy')).toBe('bad');
  });
});

describe('a fleet cell', () => {
  it('opens the tenant\'s findings of the subject\'s type and change type', () => {
    const to = cellHref(tenant, subject, 'missing_policy')!;
    const route = parseRoute(to);
    expect(route).toMatchObject({ view: 'findings', tenantId: tenant.tenantId });
    const q = (route as { query: URLSearchParams }).query;
    expect(Object.fromEntries(q)).toEqual({ policyType: 'conditionalAccessPolicy', changeType: 'missing_policy' });
  });

  it('opens the accepted findings for an accepted cell, the last compare for a gap or an uncovered type, nothing for aligned', () => {
    expect(Object.fromEntries((parseRoute(cellHref(tenant, subject, 'accepted')!) as { query: URLSearchParams }).query)).toEqual({ policyType: 'conditionalAccessPolicy', status: 'risk_accepted' });
    expect(parseRoute(cellHref(tenant, subject, 'uncovered')!)).toEqual({ view: 'runs', tenantId: tenant.tenantId, runId: 'run-1' });
    expect(parseRoute(cellHref(tenant, subject, 'gap')!)).toEqual({ view: 'runs', tenantId: tenant.tenantId, runId: 'run-1' });
    expect(cellHref(tenant, subject, 'aligned')).toBeUndefined();
    expect(cellHref(tenant, subject, 'not_compared')).toBeUndefined();
    expect(cellHref({ ...tenant, lastCompare: null }, subject, 'gap')).toBeUndefined();
  });

  it('routes the fleet page with and without a profile', () => {
    expect(parseRoute('#/fleet')).toEqual({ view: 'fleet' });
    expect(parseRoute('#/fleet/demo-windows-ios-baseline')).toEqual({ view: 'fleet', profileId: 'demo-windows-ios-baseline' });
  });
});

describe('the expiry of an acceptance', () => {
  it('is the end of the chosen day in UTC, absent when the field is empty or unreadable', () => {
    expect(expiryOf('2027-03-31')).toBe('2027-03-31T23:59:59.000Z');
    expect(expiryOf('')).toBeUndefined();
    expect(expiryOf('31/03/2027')).toBeUndefined();
    expect(expiryOf('2027-02-31')).toBeUndefined();
  });
});
