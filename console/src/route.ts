/** Hash routes (the console is static files: no server rewrites needed on S3/CloudFront). */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { view: 'home' }
  | { view: 'findings'; tenantId: string; query: URLSearchParams }
  | { view: 'finding'; tenantId: string; fingerprint: string }
  | { view: 'runs'; tenantId: string; runId?: string }
  | { view: 'baselines'; profileId?: string }
  | { view: 'fleet'; profileId?: string }
  | { view: 'not_found'; path: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', qs = ''] = raw.split('?');
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(qs);
  if (seg.length === 0) return { view: 'home' };
  if (seg[0] === 'tenants' && seg[1] !== undefined) {
    if (seg[2] === 'findings' && seg[3] !== undefined) return { view: 'finding', tenantId: seg[1], fingerprint: seg[3] };
    if (seg[2] === 'findings') return { view: 'findings', tenantId: seg[1], query };
    if (seg[2] === 'runs') return { view: 'runs', tenantId: seg[1], ...(seg[3] !== undefined ? { runId: seg[3] } : {}) };
  }
  if (seg[0] === 'fleet') return { view: 'fleet', ...(seg[1] !== undefined ? { profileId: seg[1] } : {}) };
  if (seg[0] === 'baselines') return { view: 'baselines', ...(seg[1] !== undefined ? { profileId: seg[1] } : {}) };
  return { view: 'not_found', path };
}

export const href = {
  home: () => '#/',
  findings: (tenantId: string, query?: URLSearchParams) => `#/tenants/${encodeURIComponent(tenantId)}/findings${query && [...query].length > 0 ? `?${query.toString()}` : ''}`,
  finding: (tenantId: string, fingerprint: string) => `#/tenants/${encodeURIComponent(tenantId)}/findings/${fingerprint}`,
  runs: (tenantId: string, runId?: string) => `#/tenants/${encodeURIComponent(tenantId)}/runs${runId ? `/${encodeURIComponent(runId)}` : ''}`,
  fleet: (profileId?: string) => `#/fleet${profileId ? `/${encodeURIComponent(profileId)}` : ''}`,
  baselines: (profileId?: string) => `#/baselines${profileId ? `/${encodeURIComponent(profileId)}` : ''}`,
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
