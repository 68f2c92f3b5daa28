import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api/client';
import type { TokenClaims } from './session';

export interface Tenant {
  tenantId: string;
  /** The tenant's name when the API knows it. */
  name?: string;
}

export interface AppContextValue {
  api: ApiClient;
  apiUrl: string;
  claims: TokenClaims;
  /** Routes the API offers (`METHOD /path`): views of routes still to come stay hidden. */
  routes: Set<string>;
  tenants: Tenant[];
  tenantName: (tenantId: string) => string;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (ctx === undefined) throw new Error('useApp outside the signed-in console');
  return ctx;
}
