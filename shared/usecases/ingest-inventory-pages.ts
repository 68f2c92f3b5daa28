/**
 * Inventory pushed in pages (a portal that reads Graph itself, or an upload too large for one request).
 *
 * The first page (no `runId`) creates the tenant's `inventory_sync` run, holding the tenant's sync lock
 * (another active sync of the tenant answers `SyncAlreadyActiveError` with that run's id). Every page
 * is normalized and redacted at once (no secret is ever staged or stored) and staged, not applied: a
 * sync cut short must never remove anything. The last page applies every type at once with the
 * coverage the caller reports (removals only for succeeded types), completes the run and clears the
 * stage. Sending a page again is harmless; sending another page under a number already used is refused.
 *
 * `applyInventoryRun` (the apply step) is shared with the Graph sync (`sync-inventory.ts`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../domain/canonical.js';
import type { InventoryCoverage, NormalizedSubject, OperationRun, OperationRunOutcome, RegistryTypeKey, TypeCoverage } from '../domain/model.js';
import { isFoundationType, isRegistryTypeKey } from '../domain/registry.js';
import type { SecretDigester } from '../domain/secrets.js';
import type { IngestStageRepository, InventoryRepository, OperationRunRepository, StagedIngestPage, StagedPageType } from './ports/persistence.js';
import { openInventorySyncRun, subjectsOf } from './ingest-inventory.js';
import { DomainError } from '../domain/errors.js';
import {
  InvalidInventoryPageError,
  InventoryPageConflictError,
  InventoryPagesMissingError,
  InventorySyncAlreadyCompletedError,
  InventorySyncNotFoundError,
  SyncAlreadyActiveError,
} from './ports/errors.js';
import { withFilterNames } from '../domain/subject.js';

// ---------------------------------------------------------------------------------------------
// applying a sync's result (shared with the Graph sync)
// ---------------------------------------------------------------------------------------------

/** One type's result as a sync saw it: its normalized subjects, or why it could not be read. */
export type SyncedType = { status: 'succeeded'; subjects: NormalizedSubject[] } | { status: 'failed'; error: string };

export interface ApplyInventoryDeps {
  runs: OperationRunRepository;
  inventory: InventoryRepository;
  now: () => Date;
}

export interface AppliedInventory {
  outcome: Exclude<OperationRunOutcome, 'pending' | 'cancelled'>;
  coverage: InventoryCoverage;
  written: number;
  unchanged: number;
  removed: number;
}

const MAX_ERROR = 300;

/**
 * Writes each succeeded type's inventory (hash on write, unchanged items kept, removals only for a
 * succeeded type) and completes the run with `context.inventory.coverage` in the seed's shape. A failed
 * type is not touched. Outcome: `succeeded` when every type succeeded, `failed` when none did (or no
 * type was synced at all), `partially_succeeded` otherwise.
 */
export async function applyInventoryRun(
  deps: ApplyInventoryDeps,
  req: {
    runId: string;
    tenantId: string;
    observedAt: string;
    types: Partial<Record<RegistryTypeKey, SyncedType>>;
    /** Extra context entries (merged beside `inventory`). */
    context?: Record<string, unknown>;
    /** Extra numbers for `summaryCounts`. */
    counts?: Record<string, number>;
  },
): Promise<AppliedInventory> {
  const coverage: InventoryCoverage = { policy_types: {}, foundation_types: {} };
  let written = 0;
  let unchanged = 0;
  let removed = 0;
  for (const [type, synced] of Object.entries(req.types) as [RegistryTypeKey, SyncedType][]) {
    let entry: TypeCoverage;
    if (synced.status === 'succeeded') {
      try {
        const put = await deps.inventory.putTypeInventory(req.tenantId, type, synced.subjects, { runId: req.runId, observedAt: req.observedAt }, { removeMissing: true });
        written += put.written;
        unchanged += put.unchanged;
        removed += put.removed;
        entry = { status: 'succeeded', item_count: synced.subjects.length, items_from_run: put.stampedByRun };
      } catch (err) {
        entry = { status: 'failed', error: `ingest_failed: ${err instanceof Error ? err.name : 'Error'}`.slice(0, MAX_ERROR) };
      }
    } else {
      entry = { status: 'failed', error: synced.error.slice(0, MAX_ERROR) || 'failed' };
    }
    (isFoundationType(type) ? coverage.foundation_types : coverage.policy_types)[type] = entry;
  }
  const entries = [...Object.values(coverage.policy_types), ...Object.values(coverage.foundation_types)];
  const failed = entries.filter((e) => e?.status !== 'succeeded').length;
  const outcome = entries.length === 0 || failed === entries.length ? 'failed' : failed === 0 ? 'succeeded' : 'partially_succeeded';
  const failureSummary =
    entries.length === 0
      ? [{ code: 'no_types', message: 'The sync covered no policy type.', count: 1 }]
      : failed > 0
        ? [{ code: 'type_failed', message: 'Some policy types could not be collected; their inventory was left untouched.', count: failed }]
        : [];
  await deps.runs.complete(req.runId, {
    outcome,
    summaryCounts: {
      ...req.counts,
      types: entries.length,
      types_failed: failed,
      items_written: written,
      items_unchanged: unchanged,
      items_removed: removed,
    },
    failureSummary,
    context: { ...req.context, inventory: { coverage } },
    completedAt: deps.now().toISOString(),
  });
  return { outcome, coverage, written, unchanged, removed };
}

// ---------------------------------------------------------------------------------------------
// paged ingest
// ---------------------------------------------------------------------------------------------

export interface IngestPagesDeps extends ApplyInventoryDeps {
  stage: IngestStageRepository;
  /** The workspace's secret digester (see `shared/adapters/secrets/workspace-key.ts`). */
  digesterFor: (workspaceId: string) => Promise<SecretDigester>;
  newId?: () => string;
}

export interface IngestPageRequest {
  tenantId: string;
  workspaceId: string;
  initiator: string;
  /** Absent on the first page: the sync is created. */
  runId?: string;
  /** 1-based. */
  pageNumber: number;
  /** Graph objects per registry key, as Graph returns them (settings merged in as `settings`). */
  items: Partial<Record<RegistryTypeKey, Record<string, unknown>[]>>;
  /**
   * Per-type result of the caller's own read (only honoured on the last page). Without it, every type
   * sent in any page counts as succeeded. A type reported `failed` is not touched (its items, if any,
   * are ignored); a `succeeded` type whose `item_count` differs from what arrived is recorded failed
   * (a lost page must not look like deleted policies).
   */
  coverage?: InventoryCoverage;
  last: boolean;
}

export interface IngestPageResult {
  runId: string;
  status: 'receiving' | 'completed';
  pagesReceived: number;
  outcome?: OperationRunOutcome;
  /** On completion: the coverage recorded on the run. */
  coverage?: InventoryCoverage;
}

/** The run context entry that marks a run as a paged ingest, and remembers its last page when done. */
export const INGEST_CONTEXT_KEY = 'inventory_ingest';

interface IngestContext {
  mode: 'pages';
  workspace_id: string;
  pages?: number;
  last_page_number?: number;
  last_page_hash?: string;
}

const MAX_PAGE_NUMBER = 100_000;

export async function ingestInventoryPage(deps: IngestPagesDeps, req: IngestPageRequest): Promise<IngestPageResult> {
  validatePage(req);
  const pageHash = createHash('sha256')
    .update(canonicalJson({ items: req.items, coverage: req.coverage ?? null, last: req.last }))
    .digest('hex');

  let runId: string;
  if (req.runId === undefined) {
    if (req.pageNumber !== 1) throw new InvalidInventoryPageError(`a new inventory sync starts with page 1, not page ${req.pageNumber}`);
    runId = (deps.newId ?? randomUUID)();
    const context: Record<string, unknown> = { [INGEST_CONTEXT_KEY]: { mode: 'pages', workspace_id: req.workspaceId } satisfies IngestContext };
    const opened = await openInventorySyncRun(deps.runs, deps.now, {
      id: runId,
      tenantId: req.tenantId,
      workspaceId: req.workspaceId,
      initiator: req.initiator,
      context,
    });
    if (!opened.opened) throw new SyncAlreadyActiveError(req.tenantId, opened.activeRunId);
  } else {
    runId = req.runId;
    const run = await ownRun(deps, runId, req);
    if (run.status === 'completed') {
      // The answer to a completed upload's last page may have been lost: the same last page again gets
      // the same answer. Anything else is too late.
      const done = run.context[INGEST_CONTEXT_KEY] as IngestContext | undefined;
      if (req.last && done?.last_page_number === req.pageNumber && done.last_page_hash === pageHash) {
        const coverage = (run.context.inventory as { coverage?: InventoryCoverage } | undefined)?.coverage;
        return { runId, status: 'completed', pagesReceived: done.pages ?? req.pageNumber, outcome: run.outcome, ...(coverage ? { coverage } : {}) };
      }
      throw new InventorySyncAlreadyCompletedError(runId);
    }
  }

  const staged = await deps.stage.listPages(runId);
  const same = staged.find((p) => p.pageNumber === req.pageNumber);
  if (same !== undefined && same.pageHash !== pageHash) throw new InventoryPageConflictError(runId, req.pageNumber);
  const lastStaged = staged.find((p) => p.last);
  if (lastStaged !== undefined && req.pageNumber > lastStaged.pageNumber) {
    throw new InvalidInventoryPageError(`page ${req.pageNumber} comes after the last page (${lastStaged.pageNumber}) of inventory sync ${runId}`);
  }
  if (req.last && staged.some((p) => p.pageNumber > req.pageNumber)) {
    throw new InvalidInventoryPageError(`page ${req.pageNumber} cannot be the last page: later pages of inventory sync ${runId} were received`);
  }

  const digester = await deps.digesterFor(req.workspaceId);
  const page = stagePage(req.items, digester);
  if (same === undefined) {
    await deps.stage.putPage(runId, { pageNumber: req.pageNumber, pageHash, items: countItems(req.items), last: req.last }, page);
  }
  const received = new Set([...staged.map((p) => p.pageNumber), req.pageNumber]);
  if (!req.last) return { runId, status: 'receiving', pagesReceived: received.size };

  const missing: number[] = [];
  for (let n = 1; n <= req.pageNumber; n += 1) if (!received.has(n)) missing.push(n);
  if (missing.length > 0) throw new InventoryPagesMissingError(runId, missing);

  // Every page is here: gather them (this one from memory, the others from the stage).
  const pages: StagedIngestPage[] = [];
  for (let n = 1; n <= req.pageNumber; n += 1) {
    if (n === req.pageNumber) {
      pages.push(page);
      continue;
    }
    const stagedPage = await deps.stage.getPage(runId, n);
    if (stagedPage === undefined) throw new InventoryPagesMissingError(runId, [n]);
    pages.push(stagedPage);
  }
  const types = mergePages(pages, req.coverage);
  const applied = await applyInventoryRun(deps, {
    runId,
    tenantId: req.tenantId,
    observedAt: deps.now().toISOString(),
    types,
    context: {
      [INGEST_CONTEXT_KEY]: {
        mode: 'pages',
        workspace_id: req.workspaceId,
        pages: req.pageNumber,
        last_page_number: req.pageNumber,
        last_page_hash: pageHash,
      } satisfies IngestContext,
    },
    counts: { pages: req.pageNumber },
  });
  await deps.stage.clear(runId);
  return { runId, status: 'completed', pagesReceived: req.pageNumber, outcome: applied.outcome, coverage: applied.coverage };
}

/** The run a later page names: it must be a paged inventory sync of the same tenant and workspace. */
async function ownRun(deps: IngestPagesDeps, runId: string, req: IngestPageRequest): Promise<OperationRun> {
  let run: OperationRun | undefined;
  try {
    run = await deps.runs.get(runId);
  } catch (err) {
    // An id that cannot be a key (e.g. contains '#') names no run.
    if (err instanceof Error && err.name === 'InvalidKeyPartError') throw new InventorySyncNotFoundError(runId);
    throw err;
  }
  const ingest = run?.context[INGEST_CONTEXT_KEY] as IngestContext | undefined;
  if (run === undefined || run.type !== 'inventory_sync' || run.tenantId !== req.tenantId || ingest?.mode !== 'pages' || ingest.workspace_id !== req.workspaceId) {
    // Foreign runs are reported as absent: their existence is not disclosed.
    throw new InventorySyncNotFoundError(runId);
  }
  return run;
}

function validatePage(req: IngestPageRequest): void {
  if (!Number.isInteger(req.pageNumber) || req.pageNumber < 1 || req.pageNumber > MAX_PAGE_NUMBER) {
    throw new InvalidInventoryPageError(`pageNumber must be an integer from 1 to ${MAX_PAGE_NUMBER}`);
  }
  const unknown = Object.keys(req.items).filter((k) => !isRegistryTypeKey(k));
  if (req.coverage) {
    unknown.push(...Object.keys(req.coverage.policy_types ?? {}).filter((k) => !isRegistryTypeKey(k)));
    unknown.push(...Object.keys(req.coverage.foundation_types ?? {}).filter((k) => !isRegistryTypeKey(k)));
    if (!req.last) throw new InvalidInventoryPageError('coverage is given with the last page only');
  }
  if (unknown.length > 0) throw new InvalidInventoryPageError(`unknown policy type key(s): ${[...new Set(unknown)].slice(0, 10).join(', ')}`);
  for (const [type, objects] of Object.entries(req.items)) {
    if (!Array.isArray(objects) || objects.some((o) => o === null || typeof o !== 'object' || Array.isArray(o))) {
      throw new InvalidInventoryPageError(`items.${type} must be an array of Graph objects`);
    }
  }
}

function countItems(items: IngestPageRequest['items']): number {
  return Object.values(items).reduce((n, objects) => n + (objects?.length ?? 0), 0);
}

/** Normalizes and redacts a page per type; an object that cannot be normalized fails its type. */
function stagePage(items: IngestPageRequest['items'], digester: SecretDigester): StagedIngestPage {
  const types: Record<string, StagedPageType> = {};
  for (const [type, objects] of Object.entries(items) as [RegistryTypeKey, Record<string, unknown>[]][]) {
    try {
      types[type] = { subjects: subjectsOf(type, objects, digester) };
    } catch (err) {
      types[type] = { error: `normalization_failed: ${err instanceof DomainError ? err.code : 'invalid object'}` };
    }
  }
  return { types };
}

/** Every page's subjects per type, judged against the reported coverage. */
function mergePages(pages: StagedIngestPage[], coverage: InventoryCoverage | undefined): Partial<Record<RegistryTypeKey, SyncedType>> {
  const gathered = new Map<RegistryTypeKey, { subjects: NormalizedSubject[]; error?: string }>();
  for (const page of pages) {
    for (const [type, part] of Object.entries(page.types) as [RegistryTypeKey, StagedPageType][]) {
      const entry = gathered.get(type) ?? { subjects: [] };
      if ('error' in part) entry.error ??= part.error;
      else entry.subjects.push(...part.subjects);
      gathered.set(type, entry);
    }
  }
  const reported = new Map<RegistryTypeKey, TypeCoverage>();
  for (const section of [coverage?.policy_types, coverage?.foundation_types]) {
    for (const [type, entry] of Object.entries(section ?? {})) if (entry && isRegistryTypeKey(type)) reported.set(type, entry);
  }

  // Assignment filters named by id resolve to their names in the same tenant, as in the other
  // inventory paths: pages are normalized as they arrive, so the names are filled in once all are here.
  const filterPart = gathered.get('assignmentFilter');
  const filterNames = new Map<string, string>();
  if (filterPart !== undefined && filterPart.error === undefined && reported.get('assignmentFilter')?.status !== 'failed') {
    for (const f of filterPart.subjects) if (f.externalId !== undefined) filterNames.set(f.externalId, f.displayName);
  }

  const result: Partial<Record<RegistryTypeKey, SyncedType>> = {};
  for (const type of new Set([...gathered.keys(), ...reported.keys()])) {
    const got = gathered.get(type);
    const said = reported.get(type);
    if (said?.status === 'failed') {
      result[type] = { status: 'failed', error: said.error ?? 'failed' };
    } else if (got?.error !== undefined) {
      result[type] = { status: 'failed', error: got.error };
    } else {
      const subjects = got?.subjects ?? [];
      if (said?.item_count !== undefined && said.item_count !== subjects.length) {
        result[type] = { status: 'failed', error: `item_count_mismatch: ${said.item_count} reported, ${subjects.length} received` };
      } else {
        result[type] = { status: 'succeeded', subjects: subjects.map((s) => withFilterNames(s, filterNames)) };
      }
    }
  }
  return result;
}
