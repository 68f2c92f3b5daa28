/**
 * The API's dependencies on the local stack: the same repositories on DynamoDB Local, compares started
 * on the in-process workflow runner, captures run in this process (the answer is still 202 with the
 * run id), and secret digests keyed by the local master key (`DRIFT_SECRET_KEY`, or `secretKey`).
 */
import type { ApiDeps } from '../../functions/api/routes.js';
import { wireApiDeps } from '../../functions/api/wiring.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { createDynamoRepositories } from '../../shared/adapters/dynamodb/index.js';
import { workspaceKeySource, workspaceKeySourceFromEnv } from '../../shared/adapters/secrets/workspace-key.js';
import { captureSnapshot } from '../../shared/usecases/capture-snapshot.js';
import { LOCAL_REGION } from './dynamodb-local.js';
import type { LocalStack } from './stack.js';
import type { CaptureStarter } from '../../shared/usecases/ports/workflow.js';

export interface LocalApiDepsOptions {
  /** Master key of the secret digests; default `DRIFT_SECRET_KEY` from the environment. */
  secretKey?: string;
  /**
   * `inline` (default): a capture runs to its end before the 202 answer (a later GET sees the run
   * completed). `background`: answered at once, as on AWS; `idle()` waits for running captures.
   */
  capture?: 'inline' | 'background';
  now?: () => Date;
  maxBodyBytes?: number;
  /** Server-side faults; default one line on stderr (request id, error name and message). */
  onServerError?: ApiDeps['onServerError'];
}

export type LocalApiDeps = ApiDeps & {
  /** Resolves when every capture started so far has ended. */
  idle(): Promise<void>;
};

export function localApiDeps(stack: LocalStack, opts: LocalApiDepsOptions = {}): Promise<LocalApiDeps> {
  const db = createDocumentClient({ endpoint: stack.endpoint, region: LOCAL_REGION });
  const repos = createDynamoRepositories({ db, tables: stack.tables });
  const now = opts.now ?? (() => new Date());
  const running = new Set<Promise<unknown>>();

  const capture: CaptureStarter = {
    async start(req) {
      // Failures are recorded on the capture run (outcome failed), as the CaptureSnapshot function does.
      const work = captureSnapshot({ runs: repos.runs, profiles: repos.profiles, snapshots: repos.snapshots, inventory: repos.inventory, now }, req).catch(() => undefined);
      running.add(work);
      void work.finally(() => running.delete(work));
      if ((opts.capture ?? 'inline') === 'inline') await work;
    },
  };

  const keys = opts.secretKey !== undefined ? workspaceKeySource(() => Promise.resolve(opts.secretKey!)) : workspaceKeySourceFromEnv(process.env);
  const deps = wireApiDeps({
    repos,
    db,
    tables: stack.tables,
    workflow: stack.starter,
    capture,
    keys,
    now,
    ...(opts.maxBodyBytes !== undefined ? { maxBodyBytes: opts.maxBodyBytes } : {}),
    onServerError:
      opts.onServerError ??
      ((error, info) => {
        const e = error instanceof Error ? error : new Error(String(error));
        process.stderr.write(`api: ${info.route ?? ''} failed (request ${info.requestId}): ${e.name}: ${e.message}\n`);
      }),
  });
  return Promise.resolve({
    ...deps,
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  });
}
