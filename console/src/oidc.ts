/**
 * Sign-in on AWS: OpenID Connect authorization code flow with PKCE against the stage's JWT issuer
 * (oidc-client-ts: it does discovery, the code verifier and the token exchange, and keeps the user in
 * session storage). The access token is what the API's JWT authorizer checks.
 */
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

function manager(s: OidcSettings): UserManager {
  const redirect = `${window.location.origin}${import.meta.env.BASE_URL}`;
  return new UserManager({
    authority: s.issuer,
    client_id: s.clientId,
    redirect_uri: redirect,
    post_logout_redirect_uri: redirect,
    response_type: 'code',
    scope: s.scope,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
  });
}

/** Completes a sign-in when the address carries the authorization response; returns the access token. */
export async function completeOidcSignIn(s: OidcSettings): Promise<string | undefined> {
  const um = manager(s);
  const params = new URLSearchParams(window.location.search);
  if (params.has('code') && params.has('state')) {
    const user = await um.signinRedirectCallback();
    window.history.replaceState(null, '', `${window.location.pathname}#/`);
    return user.access_token;
  }
  const user = await um.getUser();
  return user && !user.expired ? user.access_token : undefined;
}

export async function startOidcSignIn(s: OidcSettings): Promise<void> {
  await manager(s).signinRedirect();
}

export async function oidcSignOut(s: OidcSettings): Promise<void> {
  await manager(s).removeUser();
}
