/** The fleet view of a baseline profile: every assigned tenant against the active snapshot, subject by subject. */
import { profileParams } from '../../shared/schemas/api.js';
import * as f from '../../shared/schemas/fleet.js';
import { fleetView } from '../../shared/usecases/fleet-view.js';
import { COMMON, PROBLEM, route, type AnyRoute } from './routes.js';

export const FLEET_ROUTES: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/baseline-profiles/{profileId}/fleet',
    operationId: 'getFleet',
    summary: 'The fleet matrix of a profile: each assigned tenant (of the token) with its last compare and counts, each subject with its state per tenant, against the active snapshot',
    tag: 'fleet',
    access: 'reader',
    params: profileParams,
    query: f.fleetQuery,
    responses: {
      200: { description: 'One page of subjects (all tenants on every page)', schema: f.fleetSchema },
      ...COMMON,
      400: PROBLEM('Invalid request or cursor'),
      409: PROBLEM('The profile has no complete active snapshot: capture one first'),
    },
    async handle(req, deps) {
      const { limit, cursor, policyType, state } = req.query;
      const body = await fleetView(deps, req.caller, {
        profileId: req.params.profileId,
        limit,
        ...(cursor !== undefined ? { cursor } : {}),
        ...(policyType !== undefined ? { policyType } : {}),
        ...(state !== undefined ? { state } : {}),
      });
      return { status: 200, body };
    },
  }),
];
