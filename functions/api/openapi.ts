/**
 * The OpenAPI 3.1 document of the API, generated from the route table and the same zod schemas that
 * validate requests (so the document cannot drift from what the API accepts).
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { problemSchema } from '../../shared/schemas/api.js';
import type { AnyRoute } from './routes.js';

export const API_TITLE = 'Baseline Drift Engine API';
export const API_VERSION = '1.0.0';

const IDEMPOTENCY_KEY = z
  .object({
    'idempotency-key': z
      .string()
      .min(1)
      .max(128)
      .optional()
      .meta({ description: 'A retry with the same key returns the first answer instead of creating again.' }),
  });
const CORRELATION_ID = z.object({
  'x-correlation-id': z.string().max(128).optional().meta({ description: 'Echoed in the response and written to the audit trail; default the request id.' }),
});

/**
 * Where the API answers: the origin that serves this document (API Gateway's stage URL on AWS, the
 * local server's address locally), so one document fits every stage.
 */
export const SAME_ORIGIN_SERVER = { url: '/', description: 'The origin that serves this document' };

type ResponseSpec = { description: string; schema?: z.ZodType; media?: Record<string, z.ZodType> };

/**
 * Answers any route can give whatever its own table says: API Gateway throttles every route of the
 * stage (429, its own JSON body), and an unexpected failure is a problem that carries only its
 * request id (500).
 */
function withEveryRouteAnswers(responses: Record<number, ResponseSpec>): Record<number, ResponseSpec> {
  return {
    ...responses,
    429: responses[429] ?? { description: "Throttled by the stage's rate or burst limit: retry after a pause" },
    500: responses[500] ?? { description: 'Server error: retry later; quote the request id when reporting it', schema: problemSchema },
  };
}

export function buildOpenApiDocument(routes: readonly AnyRoute[], servers: { url: string; description?: string }[] = [SAME_ORIGIN_SERVER]): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Claims: sub, workspace_id, tenant_ids, role (reader < operator < admin).',
  });
  for (const r of routes) {
    const headers = r.idempotent ? CORRELATION_ID.extend(IDEMPOTENCY_KEY.shape) : CORRELATION_ID;
    registry.registerPath({
      method: r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete',
      path: r.path,
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      ...(r.access === 'public' ? { security: [] } : { security: [{ [bearer.name]: [] }], description: `Role: ${r.access} or stronger.` }),
      request: {
        headers,
        ...(r.params !== undefined ? { params: r.params as z.ZodObject } : {}),
        ...(r.query !== undefined ? { query: r.query as z.ZodObject } : {}),
        ...(r.body !== undefined ? { body: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
      },
      responses: Object.fromEntries(
        Object.entries(withEveryRouteAnswers(r.responses)).map(([status, spec]) => [
          status,
          {
            description: spec.description,
            ...(spec.schema !== undefined || spec.media !== undefined
              ? {
                  content: {
                    ...(spec.schema !== undefined ? { [spec.schema === problemSchema ? 'application/problem+json' : 'application/json']: { schema: spec.schema } } : {}),
                    ...Object.fromEntries(Object.entries(spec.media ?? {}).map(([type, schema]) => [type, { schema }])),
                  },
                }
              : {}),
          },
        ]),
      ),
    });
  }
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: API_TITLE,
      version: API_VERSION,
      description: 'Baseline profiles, snapshots, assignments, inventory ingest, compares, runs, drift findings and the audit trail. Errors are application/problem+json.',
    },
    servers,
    security: [{ bearerAuth: [] }],
  }) as unknown as Record<string, unknown>;
}
