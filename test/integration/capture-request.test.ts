/**
 * A capture asked for through the API: the run it answers exists at once (created before the
 * capture is invoked), a second capture of the same profile and source meets the active one (409 with
 * its id), a refused invoke leaves the run `failed`, and the capture claims the queued run it is given.
 */
import { describe, expect, it } from 'vitest';
import type { BaselineProfile } from '../../shared/domain/model.js';
import { captureSnapshot } from '../../shared/usecases/capture-snapshot.js';
import { CaptureAlreadyActiveError, DispatchFailedError } from '../../shared/usecases/ports/errors.js';
import type { CaptureRequest } from '../../shared/usecases/ports/workflow.js';
import { requestCapture } from '../../shared/usecases/request-capture.js';
import { testRepositories, uniqueId } from '../support/dynamodb.js';
import { profileRecord } from '../support/records.js';

const now = () => new Date('2026-03-01T10:00:00.000Z');

async function activeProfile(repos: ReturnType<typeof testRepositories>, workspaceId: string): Promise<BaselineProfile> {
  return repos.profiles.create(profileRecord(workspaceId, { status: 'active', scope: { policy_types: ['deviceConfiguration'], foundation_types: [] } }));
}

describe('requesting a capture', () => {
  it('answers a run that exists; a second request meets it; the capture then claims it', async () => {
    const repos = testRepositories();
    const workspaceId = uniqueId('ws');
    const profile = await activeProfile(repos, workspaceId);
    const source = uniqueId('golden');
    const started: CaptureRequest[] = [];
    const deps = { ...repos, capture: { start: (req: CaptureRequest) => Promise.resolve(void started.push(req)) }, now };
    const ctx = { actor: 'alice@example.test', workspaceId, correlationId: uniqueId('corr') };

    const { runId } = await requestCapture(deps, ctx, { profileId: profile.id, sourceTenantId: source, activate: true });
    expect(await repos.runs.get(runId)).toMatchObject({ id: runId, status: 'queued', type: 'baseline_capture', tenantId: source });

    const second = requestCapture(deps, ctx, { profileId: profile.id, sourceTenantId: source, activate: true });
    await expect(second).rejects.toBeInstanceOf(CaptureAlreadyActiveError);
    await expect(second).rejects.toMatchObject({ activeRunId: runId });
    expect(started).toHaveLength(1);

    const result = await captureSnapshot({ ...repos, now }, { ...started[0]!, runId });
    expect(result).toMatchObject({ status: 'captured', runId });
    expect(await repos.runs.get(runId)).toMatchObject({ status: 'completed', outcome: 'succeeded' });
    // The same invoke delivered again finds its run taken and does nothing.
    expect(await captureSnapshot({ ...repos, now }, { ...started[0]!, runId })).toEqual({ status: 'already_running', activeRunId: runId });
  });

  it('an invoke that is refused leaves the answered run failed, and the lock free', async () => {
    const repos = testRepositories();
    const workspaceId = uniqueId('ws');
    const profile = await activeProfile(repos, workspaceId);
    const source = uniqueId('golden');
    const ctx = { actor: 'alice@example.test', workspaceId, correlationId: uniqueId('corr') };
    const refusing = { ...repos, capture: { start: () => Promise.reject(new Error('invoke refused (status 500)')) }, now };
    const failed = requestCapture(refusing, ctx, { profileId: profile.id, sourceTenantId: source, activate: true });
    await expect(failed).rejects.toBeInstanceOf(DispatchFailedError);
    const runId = ((await failed.catch((e: unknown) => e)) as DispatchFailedError).runId;
    expect(await repos.runs.get(runId)).toMatchObject({ status: 'completed', outcome: 'failed', failureSummary: [{ code: 'dispatch_failed' }] });

    const accepting = { ...repos, capture: { start: () => Promise.resolve() }, now };
    await expect(requestCapture(accepting, ctx, { profileId: profile.id, sourceTenantId: source, activate: true })).resolves.toMatchObject({ replayed: false });
  });
});
