/**
 * The console: a single-page app over the public API only. It reads its configuration, takes the
 * token (local link or OpenID Connect sign-in), learns which routes the API offers from its OpenAPI
 * document, and shows the view of the address's fragment. A missing, expired or refused token shows
 * the sign-in page, never a broken one.
 */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { apiRoutes, createApiClient } from './api/client';
import { AppContext, type AppContextValue, type Tenant } from './app-context';
import { PageTitle, ProblemBox } from './components';
import { loadConfig, type ConsoleConfig } from './config';
import { completeOidcSignIn, oidcSignOut, startOidcSignIn } from './oidc';
import { href, useRoute } from './route';
import { adoptTokenFromFragment, clearToken, storeToken, storedToken, tokenState, type TokenClaims } from './session';
import { Baselines } from './views/baselines';
import { FindingView } from './views/finding';
import { Fleet } from './views/fleet';
import { Findings } from './views/findings';
import { Home } from './views/home';
import { Runs } from './views/runs';

type Boot =
  | { phase: 'loading' }
  | { phase: 'failed'; error: unknown }
  | { phase: 'signed_out'; config: ConsoleConfig; why: 'missing' | 'expired' | 'refused' | 'unreadable' }
  | { phase: 'signed_in'; config: ConsoleConfig; token: string; claims: TokenClaims };

const WHY: Record<'missing' | 'expired' | 'refused' | 'unreadable', string> = {
  missing: 'You are not signed in.',
  expired: 'Your sign-in has expired.',
  refused: 'The API did not accept your sign-in (it may have expired or been issued for another stage).',
  unreadable: 'The token you gave is not a JSON Web Token.',
};

async function boot(): Promise<Boot> {
  const config = await loadConfig();
  let token: string | undefined;
  if (config.signIn === 'oidc') {
    token = await completeOidcSignIn(config);
  } else {
    adoptTokenFromFragment();
    token = storedToken();
  }
  const state = tokenState(token);
  if (state.state === 'valid') return { phase: 'signed_in', config, token: state.token, claims: state.claims };
  clearToken();
  return { phase: 'signed_out', config, why: state.state };
}

/** Names of tenants from `GET /tenants` when the API offers it; ids alone otherwise. */
async function tenantDirectory(apiUrl: string, token: string, routes: Set<string>, ids: string[]): Promise<Tenant[]> {
  if (!routes.has('GET /tenants')) return ids.map((tenantId) => ({ tenantId }));
  const res = await fetch(`${apiUrl}/tenants`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  if (!res.ok) return ids.map((tenantId) => ({ tenantId }));
  const body = (await res.json()) as { items?: { tenantId?: unknown; id?: unknown; name?: unknown; displayName?: unknown }[] };
  const named = new Map<string, string>();
  for (const t of body.items ?? []) {
    const id = typeof t.tenantId === 'string' ? t.tenantId : typeof t.id === 'string' ? t.id : undefined;
    const name = typeof t.name === 'string' ? t.name : typeof t.displayName === 'string' ? t.displayName : undefined;
    if (id !== undefined && name !== undefined) named.set(id, name);
  }
  return ids.map((tenantId) => ({ tenantId, ...(named.has(tenantId) ? { name: named.get(tenantId)! } : {}) }));
}

function SignIn({ config, why }: { config: ConsoleConfig; why: keyof typeof WHY }) {
  const [pasted, setPasted] = useState('');
  return (
    <main id="main" class="sign-in" tabIndex={-1}>
      <PageTitle>Sign in to the Baseline Drift Engine</PageTitle>
      <p class="notice" role="alert">
        {WHY[why]}
      </p>
      {config.signIn === 'oidc' ? (
        <button type="button" onClick={() => void startOidcSignIn(config)}>
          Sign in with your organisation
        </button>
      ) : (
        <>
          <p>
            On this machine, open the <strong>Console</strong> link that <code>npm start</code> prints (it carries a development token), or paste a token from{' '}
            <code>npm run drift -- token --workspace &lt;id&gt; --tenant &lt;id&gt;</code>.
          </p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              storeToken(pasted);
              window.location.reload();
            }}
          >
            <div class="field">
              <label for="token">Token</label>
              <input id="token" type="password" autoComplete="off" value={pasted} onInput={(e) => setPasted((e.currentTarget).value)} />
            </div>
            <button type="submit" disabled={pasted.trim() === ''}>
              Use this token
            </button>
          </form>
        </>
      )}
    </main>
  );
}

function Shell({ ctx, onSignOut }: { ctx: AppContextValue; onSignOut: () => void }) {
  const route = useRoute();
  let view;
  switch (route.view) {
    case 'home':
      view = <Home />;
      break;
    case 'findings':
      view = <Findings key={route.tenantId} tenantId={route.tenantId} query={route.query} />;
      break;
    case 'finding':
      view = <FindingView key={route.fingerprint} tenantId={route.tenantId} fingerprint={route.fingerprint} />;
      break;
    case 'runs':
      view = <Runs key={`${route.tenantId}/${route.runId ?? ''}`} tenantId={route.tenantId} {...(route.runId ? { runId: route.runId } : {})} />;
      break;
    case 'fleet':
      view = <Fleet key={route.profileId ?? ''} {...(route.profileId ? { profileId: route.profileId } : {})} />;
      break;
    case 'baselines':
      view = <Baselines key={route.profileId ?? ''} {...(route.profileId ? { profileId: route.profileId } : {})} />;
      break;
    default:
      view = (
        <section>
          <PageTitle>Not found</PageTitle>
          <p>
            There is no page at <code>{route.path}</code>. <a href={href.home()}>Go to the tenants</a>.
          </p>
        </section>
      );
  }
  const current = route.view === 'baselines' || route.view === 'fleet' ? route.view : 'tenants';
  return (
    <AppContext.Provider value={ctx}>
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Baseline Drift Engine</span>
        <nav aria-label="Main">
          <a href={href.home()} aria-current={current === 'tenants' ? 'page' : undefined}>
            Tenants
          </a>
          <a href={href.fleet()} aria-current={current === 'fleet' ? 'page' : undefined}>
            Fleet
          </a>
          <a href={href.baselines()} aria-current={current === 'baselines' ? 'page' : undefined}>
            Baselines
          </a>
        </nav>
        <span class="who">
          {ctx.claims.subject} · {ctx.claims.role}
        </span>
        <button type="button" class="link" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {view}
      </main>
    </AppContext.Provider>
  );
}

function SignedIn({ config, token, claims, onRefused }: { config: ConsoleConfig; token: string; claims: TokenClaims; onRefused: () => void }) {
  const [extra, setExtra] = useState<{ routes: Set<string>; tenants: Tenant[] } | { error: unknown }>();
  const api = useMemo(() => createApiClient(config.apiUrl, () => token, onRefused), [config.apiUrl, token]);
  useEffect(() => {
    apiRoutes(config.apiUrl)
      .then(async (routes) => ({ routes, tenants: await tenantDirectory(config.apiUrl, token, routes, claims.tenantIds) }))
      .then(setExtra, (error: unknown) => setExtra({ error }));
  }, [config.apiUrl, token]);
  if (extra === undefined) return <p role="status">Loading the console…</p>;
  if ('error' in extra) return <ProblemBox error={extra.error} onRetry={() => window.location.reload()} />;
  const names = new Map(extra.tenants.map((t) => [t.tenantId, t.name]));
  const ctx: AppContextValue = {
    api,
    apiUrl: config.apiUrl,
    claims,
    routes: extra.routes,
    tenants: extra.tenants,
    tenantName: (id) => names.get(id) ?? id,
  };
  const signOut = () => {
    clearToken();
    if (config.signIn === 'oidc') void oidcSignOut(config).finally(() => window.location.reload());
    else window.location.reload();
  };
  return <Shell ctx={ctx} onSignOut={signOut} />;
}

function Console() {
  const [state, setState] = useState<Boot>({ phase: 'loading' });
  useEffect(() => {
    boot().then(setState, (error: unknown) => setState({ phase: 'failed', error }));
  }, []);
  switch (state.phase) {
    case 'loading':
      return <p role="status">Loading the console…</p>;
    case 'failed':
      return <ProblemBox error={state.error} onRetry={() => window.location.reload()} />;
    case 'signed_out':
      return <SignIn config={state.config} why={state.why} />;
    default:
      return (
        <SignedIn
          config={state.config}
          token={state.token}
          claims={state.claims}
          onRefused={() => {
            clearToken();
            setState({ phase: 'signed_out', config: state.config, why: 'refused' });
          }}
        />
      );
  }
}

render(<Console />, document.getElementById('app')!);
