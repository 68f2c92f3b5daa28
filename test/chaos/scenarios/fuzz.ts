/**
 * Property-based fuzzing (fast-check) of every API route and of inventory ingest, with an authorised
 * admin token so that requests reach validation: malformed JSON, wrong types, huge strings and arrays,
 * deep nesting, unknown policy types, unicode edge cases in names, ids with path characters,
 * oversized bodies, wrong content types. Every refused request must be a 4xx
 * `application/problem+json`, never a 5xx, and must write nothing (counted per request; the tables
 * are also compared before and after every batch of refused requests).
 */
import fc from 'fast-check';
import { apiRoutes } from '../../../functions/api/app.js';
import type { AnyRoute } from '../../../functions/api/routes.js';
import type { ApiHarness } from './api.js';
import { pathFor, validBody } from './hostile.js';

export interface FuzzReport {
  cases: number;
  /** Refused cases (4xx). */
  refused: number;
  /** Cases a valid mutation let through (2xx); they may write. */
  accepted: number;
  status5xx: number;
  /** Refused cases answered without problem+json. */
  notProblemJson: number;
  partialWrites: number;
  details: string[];
}

interface FuzzCase {
  route: number;
  path: { kind: 'valid' } | { kind: 'hostile'; param: number; value: string; raw: boolean };
  query: string;
  body:
    | { kind: 'none' }
    | { kind: 'valid-mutated'; pointer: number; value: unknown }
    | { kind: 'json'; value: unknown }
    | { kind: 'text'; text: string }
    | { kind: 'deep'; depth: number }
    | { kind: 'huge-string'; bytes: number }
    | { kind: 'huge-array'; length: number }
    | { kind: 'oversized'; bytes: number }
    | { kind: 'inventory'; items: Record<string, unknown> };
  contentType: string;
}

const PATH_CHARS = ['../', '..%2F', '%2e%2e%2f', '/', '\\', '#', '?', '%00', '\u0000', ' ', '%', '\u202e', '\ud800', '😀', 'Ａ', 'ß', 'İ', '\u200b', '${x}', "' OR '1'='1", '<script>'];

const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...PATH_CHARS),
  fc.array(fc.constantFrom(...PATH_CHARS), { minLength: 1, maxLength: 6 }).map((a) => a.join('x')),
  fc.integer({ min: 200, max: 5000 }).map((n) => 'a'.repeat(n)),
);

const wrongValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  nasty,
  fc.constantFrom(null, true, -1, 0, 1e308, -0, 2 ** 53 + 1, [], {}, '', ' ', 'unknownPolicyType', '__proto__'),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 100, max: 20_000 }).map((n) => Array.from({ length: n }, () => 1)),
);

/** A Graph-like object with hostile content: names in unicode, wrong types, deep nesting. */
const graphObject = fc.record(
  {
    id: fc.oneof(fc.uuid(), nasty),
    displayName: fc.oneof(nasty, fc.constantFrom(42, null, ['a'], { x: 1 }, '', '   ', 'Ａｄｍｉｎ ＭＦＡ', 'e\u0301', '\u0000')),
    '@odata.type': fc.oneof(fc.constant('#microsoft.graph.windows10CompliancePolicy'), nasty),
    settings: fc.jsonValue({ maxDepth: 4 }),
  },
  { requiredKeys: [] },
);

const inventoryItems = fc.dictionary(
  fc.oneof(fc.constantFrom('deviceCompliancePolicy', 'conditionalAccessPolicy', 'settingsCatalogPolicy', 'unknownPolicyType', '__proto__', 'constructor', ''), nasty),
  fc.oneof(fc.array(graphObject, { maxLength: 5 }), wrongValue),
  { maxKeys: 4 },
);

function caseArbitrary(routeCount: number): fc.Arbitrary<FuzzCase> {
  return fc.record({
    route: fc.nat({ max: routeCount - 1 }),
    path: fc.oneof(
      { weight: 3, arbitrary: fc.constant({ kind: 'valid' as const }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('hostile' as const), param: fc.nat({ max: 3 }), value: nasty, raw: fc.boolean() }) },
    ),
    query: fc.oneof(
      fc.constant(''),
      fc.dictionary(fc.constantFrom('status', 'limit', 'cursor', 'type', 'policyType', 'changeType', 'severity', 'scopeKey', 'x'), nasty, { maxKeys: 3 }).map(
        (q) => new URLSearchParams(q).toString(),
      ),
    ),
    body: fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.record({ kind: fc.constant('valid-mutated' as const), pointer: fc.nat({ max: 20 }), value: wrongValue }),
      fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 4 }) }),
      fc.record({ kind: fc.constant('text' as const), text: fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1) || '{')) }),
      fc.record({ kind: fc.constant('deep' as const), depth: fc.integer({ min: 65, max: 5000 }) }),
      fc.record({ kind: fc.constant('huge-string' as const), bytes: fc.integer({ min: 10_000, max: 900_000 }) }),
      fc.record({ kind: fc.constant('huge-array' as const), length: fc.integer({ min: 10_001, max: 60_000 }) }),
      fc.record({ kind: fc.constant('oversized' as const), bytes: fc.integer({ min: 1_100_000, max: 3_000_000 }) }),
      fc.record({ kind: fc.constant('inventory' as const), items: inventoryItems }),
    ),
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constant('application/json') },
      { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/xml', 'application/json; charset=utf-16', 'multipart/form-data', '') },
    ),
  });
}

/** Replaces the `pointer`-th value (depth first) of a JSON document by `value`. */
function mutate(doc: unknown, pointer: number, value: unknown): unknown {
  let n = 0;
  const walk = (v: unknown): unknown => {
    if (n++ === pointer) return value;
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const out = walk(doc);
  return n <= pointer ? { ...(doc as Record<string, unknown>), extra: value } : out;
}

function bodyOf(c: FuzzCase, route: AnyRoute, h: ApiHarness): string | Buffer | undefined {
  const b = c.body;
  switch (b.kind) {
    case 'none':
      return undefined;
    case 'valid-mutated':
      return JSON.stringify(mutate(JSON.parse(validBody(route, h.victim) ?? '{}'), b.pointer, b.value));
    case 'json':
      return JSON.stringify(b.value);
    case 'text':
      return b.text;
    case 'deep':
      return `${'{"a":'.repeat(b.depth)}1${'}'.repeat(b.depth)}`;
    case 'huge-string':
      return JSON.stringify({ name: 'x'.repeat(b.bytes), pageNumber: 1, last: true, to: 'y'.repeat(10) });
    case 'huge-array':
      return JSON.stringify({ pageNumber: 1, last: true, items: { deviceCompliancePolicy: Array.from({ length: b.length }, () => ({})) } });
    case 'oversized':
      return Buffer.alloc(b.bytes, 0x61);
    case 'inventory':
      return JSON.stringify({ pageNumber: 1, last: true, items: b.items });
  }
}

const PARAMS = ['{tenantId}', '{profileId}', '{runId}', '{fingerprint}', '{snapshotId}'];

function pathOf(c: FuzzCase, route: AnyRoute, h: ApiHarness): string {
  const ids = { runId: h.victim.compareRunId, fingerprint: h.victim.findings[0]!.fingerprint };
  if (c.path.kind === 'valid') return pathFor(route, h.victim, ids);
  const present = PARAMS.filter((p) => route.path.includes(p));
  const target = present[c.path.param % Math.max(1, present.length)];
  // Lone surrogates cannot be percent-encoded: a client sends U+FFFD instead.
  const wellFormed = c.path.value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  const value = c.path.raw ? wellFormed.replace(/[?#]/g, '') : encodeURIComponent(wellFormed);
  const path = target === undefined ? route.path : route.path.replace(target, value || '%20');
  return pathFor({ ...route, path }, h.victim, ids);
}

export async function runFuzz(h: ApiHarness, options: { seed: number; cases: number; batch?: number; progress?: (done: number, total: number) => void }): Promise<FuzzReport> {
  const report: FuzzReport = { cases: 0, refused: 0, accepted: 0, status5xx: 0, notProblemJson: 0, partialWrites: 0, details: [] };
  const routes = apiRoutes();
  // Inventory ingest gets a larger share: it is the widest input.
  const ingest = routes.findIndex((r) => r.method === 'POST' && r.path === '/tenants/{tenantId}/inventory-syncs');
  const arbitrary = caseArbitrary(routes.length).map((c) => (c.body.kind === 'inventory' && ingest >= 0 ? { ...c, route: ingest } : c));
  const cases = fc.sample(arbitrary, { seed: options.seed, numRuns: options.cases });
  const token = await h.token(h.victim, 'admin');
  const batch = options.batch ?? 100;
  let digest = await h.tablesDigest();
  let batchAccepted = 0;
  let batchWrote = 0;
  const skipped = new Map<string, number>();
  for (const [i, c] of cases.entries()) {
    const route = routes[c.route]!;
    const path = pathOf(c, route, h);
    // A GET carries no body (clients cannot send one); its path and query are fuzzed.
    const body = route.method === 'GET' ? undefined : bodyOf(c, route, h);
    const url = c.query === '' ? path : `${path}?${c.query}`;
    const before = h.writes.count();
    let res;
    try {
      res = await h.request(route.method, url, { token, ...(body !== undefined ? { body, contentType: c.contentType } : {}) });
    } catch (err) {
      // A refused URL (the client itself cannot send it) is no case.
      if (err instanceof TypeError) {
        const cause = (err as { cause?: unknown }).cause;
        const why = (cause instanceof Error ? cause.message : err.message).slice(0, 80);
        skipped.set(why, (skipped.get(why) ?? 0) + 1);
        continue;
      }
      throw err;
    }
    const wrote = h.writes.count() - before;
    report.cases += 1;
    const label = `${route.method} ${url.slice(0, 120)} (${c.body.kind})`;
    if (res.status >= 500) {
      report.status5xx += 1;
      report.details.push(`${label}: ${res.status} ${res.text.slice(0, 200)}`);
    } else if (res.status >= 400) {
      report.refused += 1;
      if (!res.contentType.startsWith('application/problem+json')) {
        report.notProblemJson += 1;
        report.details.push(`${label}: ${res.status} as ${res.contentType || 'no content type'}`);
      }
    } else {
      report.accepted += 1;
      if (route.method !== 'GET') batchAccepted += 1;
    }
    if (res.status >= 400 && wrote > 0) {
      report.partialWrites += 1;
      batchWrote += 1;
      report.details.push(`${label}: refused with ${res.status} after ${wrote} write(s)`);
    }
    if ((i + 1) % batch === 0 || i === cases.length - 1) {
      await h.settle();
      const now = await h.tablesDigest();
      if (now !== digest && batchAccepted === 0 && batchWrote === 0) {
        report.partialWrites += 1;
        report.details.push(`cases ${i + 2 - batch}..${i + 1}: the tables changed although every write request was refused`);
      }
      digest = now;
      batchAccepted = 0;
      batchWrote = 0;
      options.progress?.(i + 1, cases.length);
    }
  }
  if (skipped.size > 0) report.details.push(`not sendable: ${JSON.stringify(Object.fromEntries(skipped))}`);
  return report;
}
