/**
 * What the console reads from a token (to show who is signed in and what the role may do) and from
 * its config.json; both refuse what they cannot use instead of guessing.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config';
import { readClaims, roleAtLeast, tokenState } from '../src/session';
import { slaState } from '../src/format';

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (payload: Record<string, unknown>) => `${b64url({ alg: 'ES256', typ: 'JWT' })}.${b64url(payload)}.c2ln`;
const NOW = new Date('2026-12-04T12:00:00Z');
const exp = (offsetSeconds: number) => Math.floor(NOW.getTime() / 1000) + offsetSeconds;

describe('the token', () => {
  it('reads subject, role, workspace, tenants and expiry as the API does', () => {
    expect(readClaims(jwt({ sub: 'sam', role: 'operator', workspace_id: 'ws-1', tenant_ids: ['t-1', 't-2'], exp: 100 }))).toEqual({
      subject: 'sam',
      role: 'operator',
      workspaceId: 'ws-1',
      tenantIds: ['t-1', 't-2'],
      expiresAt: 100,
    });
    // API Gateway style lists and an unknown role (the weakest then).
    expect(readClaims(jwt({ sub: 'x', role: 'owner', tenant_ids: 't-1 t-2' }))).toMatchObject({ role: 'reader', tenantIds: ['t-1', 't-2'] });
  });

  it('is missing, unreadable, expired or valid', () => {
    expect(tokenState(undefined, NOW)).toEqual({ state: 'missing' });
    expect(tokenState('not-a-jwt', NOW)).toEqual({ state: 'unreadable' });
    expect(tokenState('a.%%%.c', NOW)).toEqual({ state: 'unreadable' });
    expect(tokenState(jwt({ sub: 's', exp: exp(-1) }), NOW).state).toBe('expired');
    expect(tokenState(jwt({ sub: 's', exp: exp(0) }), NOW).state).toBe('expired');
    expect(tokenState(jwt({ sub: 's', exp: exp(60) }), NOW).state).toBe('valid');
  });

  it('orders roles reader < operator < admin', () => {
    expect(roleAtLeast('admin', 'operator')).toBe(true);
    expect(roleAtLeast('operator', 'operator')).toBe(true);
    expect(roleAtLeast('reader', 'operator')).toBe(false);
  });
});

describe('config.json', () => {
  it('defaults to the token sign-in against the console\'s own origin', () => {
    expect(parseConfig({}, 'http://127.0.0.1:3000')).toEqual({ signIn: 'token', apiUrl: 'http://127.0.0.1:3000' });
  });

  it('reads the OpenID Connect settings of a deployment, trimming the API URL', () => {
    expect(parseConfig({ signIn: 'oidc', apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/', issuer: 'https://login.example.com/t/v2.0', clientId: 'spa' }, 'https://d1.cloudfront.net')).toEqual({
      signIn: 'oidc',
      apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com',
      issuer: 'https://login.example.com/t/v2.0',
      clientId: 'spa',
      scope: 'openid profile',
    });
  });

  it('refuses a sign-in it does not know, an issuer that is not https and a missing client id', () => {
    expect(() => parseConfig({ signIn: 'saml' }, 'x')).toThrow(/signIn/);
    expect(() => parseConfig({ signIn: 'oidc', issuer: 'http://idp', clientId: 'c' }, 'x')).toThrow(/https/);
    expect(() => parseConfig({ signIn: 'oidc', issuer: 'https://idp' }, 'x')).toThrow(/clientId/);
    expect(() => parseConfig([], 'x')).toThrow(/object/);
  });
});

describe('SLA of a finding', () => {
  it('marks open findings overdue past their due date and due soon within 48 hours; closed ones have none', () => {
    expect(slaState({ status: 'new', dueAt: '2026-12-03T00:00:00Z' }, NOW)).toBe('overdue');
    expect(slaState({ status: 'triaged', dueAt: '2026-12-05T12:00:00Z' }, NOW)).toBe('due_soon');
    expect(slaState({ status: 'reopened', dueAt: '2026-12-20T00:00:00Z' }, NOW)).toBe('on_time');
    expect(slaState({ status: 'closed', dueAt: '2026-12-03T00:00:00Z' }, NOW)).toBe('none');
    expect(slaState({ status: 'risk_accepted', dueAt: 'not a date' }, NOW)).toBe('none');
  });
});
