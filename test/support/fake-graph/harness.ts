/** Wires the real Graph client to a fake Graph server, on virtual time. */
import { createClientCredentialsTokenProvider } from '../../../shared/adapters/graph/token-provider.js';
import { createGraphClient, type GraphClient, type GraphClientConfig } from '../../../shared/adapters/graph/client.js';
import type { AccessTokenProvider } from '../../../shared/adapters/graph/token-provider.js';
import { startFakeGraph, type FakeGraph, type FakeGraphOptions } from './server.js';
import { virtualTime } from './tenant.js';

export interface GraphHarness {
  client: GraphClient;
  tokenProvider: AccessTokenProvider;
  time: ReturnType<typeof virtualTime>;
}

/** A client for `fake` with virtual time and a fixed jitter (random 0.5), so waits are predictable. */
export function clientFor(
  fake: FakeGraph,
  overrides: Partial<Omit<GraphClientConfig, 'tokenProvider'>> & { clientSecret?: string } = {},
): GraphHarness {
  const time = virtualTime();
  const { clientSecret, ...clientOverrides } = overrides;
  const tokenProvider = createClientCredentialsTokenProvider({
    tenantId: fake.tenantId,
    clientId: fake.clientId,
    clientSecret: clientSecret ?? fake.clientSecret,
    graphBaseUrl: fake.baseUrl,
    tokenUrl: fake.tokenUrl,
    clock: time.clock,
  });
  const client = createGraphClient({
    tokenProvider,
    baseUrl: fake.baseUrl,
    sleep: time.sleep,
    clock: time.clock,
    random: () => 0.5,
    ...clientOverrides,
  });
  return { client, tokenProvider, time };
}

/** Starts fake servers and closes every one of them (call `closeAll` in afterAll). */
export function fakeGraphPool(): { start(options: FakeGraphOptions): Promise<FakeGraph>; closeAll(): Promise<void> } {
  const servers: FakeGraph[] = [];
  return {
    async start(options) {
      const server = await startFakeGraph(options);
      servers.push(server);
      return server;
    },
    async closeAll() {
      await Promise.all(servers.splice(0).map((server) => server.close()));
    },
  };
}
