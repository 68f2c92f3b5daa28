/** Routes of baseline profiles and their snapshots (and the API's health). */
import type { z } from 'zod';
import type { BaselineSnapshot } from '../../shared/domain/model.js';
import { createProfile, updateProfile, visibleProfile } from '../../shared/usecases/manage-profiles.js';
import { requestCapture } from '../../shared/usecases/request-capture.js';
import * as s from '../../shared/schemas/api.js';
import { COMMON, IGNORED_REFUSED, PROBLEM, WRITE, pageBody, requireTenant, route, type AnyRoute } from './routes.js';
import { NotVisibleError } from '../../shared/usecases/ports/errors.js';

function snapshotView(snapshot: BaselineSnapshot): z.infer<typeof s.snapshotSchema> {
  const { summary, ...rest } = snapshot;
  return { ...rest, itemCounts: summary };
}


export const PROFILE_ROUTES: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Liveness of the API',
    tag: 'meta',
    access: 'public',
    responses: { 200: { description: 'Up', schema: s.healthSchema } },
    handle: (_req, deps) => Promise.resolve({ status: 200, body: { status: 'ok', time: deps.now().toISOString() } }),
  }),

  // --- profiles
  route({
    method: 'POST',
    path: '/baseline-profiles',
    operationId: 'createProfile',
    summary: 'Create a baseline profile in the caller\'s workspace',
    tag: 'profiles',
    access: 'admin',
    body: s.createProfileBody,
    idempotent: true,
    responses: { 201: { description: 'Created', schema: s.profileSchema }, 200: { description: 'Already created under this Idempotency-Key', schema: s.profileSchema }, ...WRITE, 409: PROBLEM('Idempotency-Key reused for another request'), 422: IGNORED_REFUSED },
    async handle(req, deps) {
      const { created, profile } = await createProfile(deps, req.actor, req.body, req.idempotencyKey !== undefined ? { idempotencyKey: req.idempotencyKey } : {});
      return { status: created ? 201 : 200, body: profile, headers: { location: `/baseline-profiles/${profile.id}` } };
    },
  }),
  route({
    method: 'GET',
    path: '/baseline-profiles',
    operationId: 'listProfiles',
    summary: 'List the workspace\'s baseline profiles, newest first',
    tag: 'profiles',
    access: 'reader',
    query: s.listProfilesQuery,
    responses: { 200: { description: 'A page of profiles', schema: s.profilePage }, ...COMMON },
    async handle(req, deps) {
      const page = await deps.profiles.listByWorkspace(req.caller.workspaceId, {
        limit: req.query.limit,
        ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}),
        ...(req.query.status !== undefined ? { status: req.query.status } : {}),
      });
      return { status: 200, body: pageBody(page.items, page.cursor) };
    },
  }),
  route({
    method: 'GET',
    path: '/baseline-profiles/{profileId}',
    operationId: 'getProfile',
    summary: 'Get a baseline profile',
    tag: 'profiles',
    access: 'reader',
    params: s.profileParams,
    responses: { 200: { description: 'The profile', schema: s.profileSchema }, ...COMMON },
    async handle(req, deps) {
      return { status: 200, body: await visibleProfile(deps.profiles, req.caller.workspaceId, req.params.profileId) };
    },
  }),
  route({
    method: 'PATCH',
    path: '/baseline-profiles/{profileId}',
    operationId: 'updateProfile',
    summary: 'Update scope, severity mapping, alertMinSeverity, autoResolve, versionLabel, name, status or the active snapshot (a complete snapshot of the profile)',
    tag: 'profiles',
    access: 'admin',
    params: s.profileParams,
    body: s.updateProfileBody,
    responses: { 200: { description: 'The updated profile', schema: s.profileSchema }, ...WRITE, 409: PROBLEM('Status move refused, profile archived, or the snapshot to activate is not complete'), 422: IGNORED_REFUSED },
    async handle(req, deps) {
      return { status: 200, body: await updateProfile(deps, req.actor, req.params.profileId, req.body) };
    },
  }),

  // --- snapshots
  route({
    method: 'POST',
    path: '/baseline-profiles/{profileId}/snapshots',
    operationId: 'captureSnapshot',
    summary: 'Capture a snapshot of the profile\'s scope from a source tenant (runs asynchronously)',
    tag: 'snapshots',
    access: 'admin',
    params: s.profileParams,
    body: s.captureSnapshotBody,
    idempotent: true,
    responses: { 202: { description: 'Capture started; follow the run', schema: s.acceptedRunSchema }, ...WRITE, 409: PROBLEM('Profile archived, Idempotency-Key reused, or a capture of this profile from this source already active (activeRunId)'), 503: PROBLEM('The capture could not be started (the run is recorded failed)') },
    async handle(req, deps) {
      requireTenant(req.caller, req.body.sourceTenantId);
      const { runId } = await requestCapture(deps, req.actor, {
        profileId: req.params.profileId,
        sourceTenantId: req.body.sourceTenantId,
        activate: req.body.activate,
        ...(req.idempotencyKey !== undefined ? { idempotencyKey: req.idempotencyKey } : {}),
      });
      return { status: 202, body: { runId }, headers: { location: `/operation-runs/${runId}` } };
    },
  }),
  route({
    method: 'GET',
    path: '/baseline-profiles/{profileId}/snapshots',
    operationId: 'listSnapshots',
    summary: 'List a profile\'s snapshots, newest first',
    tag: 'snapshots',
    access: 'reader',
    params: s.profileParams,
    query: s.pageQuerySchema,
    responses: { 200: { description: 'A page of snapshots', schema: s.snapshotPage }, ...COMMON },
    async handle(req, deps) {
      const profile = await visibleProfile(deps.profiles, req.caller.workspaceId, req.params.profileId);
      const page = await deps.snapshots.listByProfile(profile.id, { limit: req.query.limit, ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}) });
      return { status: 200, body: pageBody(page.items.map(snapshotView), page.cursor) };
    },
  }),
  route({
    method: 'GET',
    path: '/baseline-profiles/{profileId}/snapshots/{snapshotId}',
    operationId: 'getSnapshot',
    summary: 'Get a snapshot with its item counts per policy type',
    tag: 'snapshots',
    access: 'reader',
    params: s.snapshotParams,
    responses: { 200: { description: 'The snapshot', schema: s.snapshotSchema }, ...COMMON },
    async handle(req, deps) {
      const profile = await visibleProfile(deps.profiles, req.caller.workspaceId, req.params.profileId);
      const snapshot = await deps.snapshots.get(req.params.snapshotId);
      if (snapshot === undefined || snapshot.profileId !== profile.id) throw new NotVisibleError('snapshot', req.params.snapshotId);
      return { status: 200, body: snapshotView(snapshot) };
    },
  }),
];
