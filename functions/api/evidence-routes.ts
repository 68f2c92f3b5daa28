/** The evidence export of a compare run: JSON (with its SHA-256), CSV or one printable HTML page. */
import { z } from 'zod';
import { EVIDENCE_CONTENT_TYPES, renderEvidence } from '../../shared/domain/evidence-export.js';
import { runParams } from '../../shared/schemas/api.js';
import * as e from '../../shared/schemas/evidence.js';
import { runEvidence } from '../../shared/usecases/run-evidence.js';
import { HttpProblem } from './problems.js';
import { COMMON, PROBLEM, route, type AnyRoute } from './routes.js';

/** The largest answer: a Lambda behind API Gateway returns at most 6 MB. */
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

export const EVIDENCE_ROUTES: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/operation-runs/{runId}/evidence',
    operationId: 'getRunEvidence',
    summary: 'The evidence of a completed compare: the run, coverage with proof, every compared subject (aligned ones included), every finding with its evidence, every gap and the provenance',
    tag: 'runs',
    access: 'reader',
    params: runParams,
    query: e.evidenceQuery,
    responses: {
      200: {
        description: 'The export (format=json: the document with its sha256; csv: a header line and one row per subject; html: one self-contained page)',
        schema: e.evidenceDocumentSchema,
        media: { 'text/csv': z.string(), 'text/html': z.string() },
      },
      ...COMMON,
      409: PROBLEM('Not a completed compare, or its results are no longer stored'),
      422: PROBLEM('The export is larger than one answer may be: export one policy type at a time (policyType=)'),
    },
    async handle(req, deps) {
      const parts = await runEvidence(deps, req.caller, { runId: req.params.runId, ...(req.query.policyType !== undefined ? { policyType: req.query.policyType } : {}) });
      const chunks: string[] = [];
      let bytes = 0;
      for await (const chunk of renderEvidence(parts, req.query.format)) {
        bytes += Buffer.byteLength(chunk, 'utf8');
        if (bytes > EVIDENCE_MAX_BYTES) {
          const types = (parts.provenance.policyTypes as string[]).join(', ');
          throw new HttpProblem(422, 'evidence-too-large', 'Evidence too large', `The export of run ${req.params.runId} is larger than ${EVIDENCE_MAX_BYTES} bytes: export one policy type at a time with ?policyType=<type> (this run compared: ${types}).`);
        }
        chunks.push(chunk);
      }
      const filename = `evidence-${req.params.runId}${req.query.policyType !== undefined ? `-${req.query.policyType}` : ''}.${req.query.format}`;
      return {
        status: 200,
        text: { contentType: EVIDENCE_CONTENT_TYPES[req.query.format], content: chunks.join('') },
        headers: {
          'content-disposition': `inline; filename="${filename}"`,
          // The page needs nothing from anywhere: no script, no fetch, only its own inline styles.
          ...(req.query.format === 'html' ? { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" } : {}),
        },
      };
    },
  }),
];
