/**
 * What deploys is what is tested: one compare runs through the Lambda bundles `cdk synth` built
 * (esbuild, ESM, minified, the AWS SDK inside) and the state machine definition of the same cloud
 * assembly, on DynamoDB Local. The bundles come from `cdk.out` when `npm run synth` wrote it after the
 * last change to the code (as `npm test` does just before the tests); otherwise this file synthesizes
 * the app with bundling into a temporary directory first.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { constructIdOfLogicalId, extractStateMachineAsl, type StateMachineAsl } from '../../infra/local/asl.js';
import { runCompare } from '../../cli/commands/compare.js';
import { runPipeline, type PipelineReport } from '../../cli/commands/pipeline.js';
import { localContext, startLocalStack } from '../../infra/local/stack.js';
import type { CfnTemplate } from '../../infra/local/synth.js';
import { addBaselineDriftStacks } from '../../infra/stacks/app-stack.js';
import { parseStageConfig } from '../../infra/stage.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CDK_OUT = join(ROOT, 'cdk.out');
const APP_TEMPLATE = 'BaselineDriftApp.template.json';
const FIXTURES = 'test/fixtures/exports';
const SECRET_KEY = 'bundled-test-secret-key-0123456789';

type BundledHandler = (event: unknown, context: unknown) => Promise<unknown>;

/** Newest modification time of the files the bundles are built from. */
function newestSourceChange(): number {
  let newest = 0;
  for (const dir of ['functions', 'shared', 'infra']) {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return Math.max(newest, statSync(join(ROOT, 'package-lock.json')).mtimeMs);
}

function freshCdkOut(): boolean {
  const manifest = join(CDK_OUT, 'manifest.json');
  return existsSync(manifest) && existsSync(join(CDK_OUT, APP_TEMPLATE)) && statSync(manifest).mtimeMs > newestSourceChange();
}

/** The cloud assembly with the bundles: `cdk.out` if fresh, else synthesized now (as `cdk synth` does, dev stage). */
function cloudAssembly(): { dir: string; temporary: boolean } {
  if (freshCdkOut()) return { dir: CDK_OUT, temporary: false };
  const dir = mkdtempSync(join(tmpdir(), 'baseline-drift-bundles-'));
  const app = new App({ outdir: dir, context: { 'aws:cdk:enable-asset-metadata': true } });
  addBaselineDriftStacks(app, parseStageConfig({}));
  app.synth();
  return { dir, temporary: true };
}

let assembly: { dir: string; temporary: boolean } | undefined;
let asl: StateMachineAsl;
/** Function construct id -> its bundle's entry file. */
const bundles = new Map<string, string>();
const calls = new Map<string, number>();

beforeAll(() => {
  assembly = cloudAssembly();
  const template = JSON.parse(readFileSync(join(assembly.dir, APP_TEMPLATE), 'utf8')) as CfnTemplate & {
    Resources: Record<string, { Metadata?: Record<string, unknown> }>;
  };
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') throw new Error(`${logicalId} has no bundled asset in ${assembly.dir}`);
    bundles.set(constructIdOfLogicalId(logicalId), join(assembly.dir, assetPath, 'index.mjs'));
  }
  asl = extractStateMachineAsl(template, 'BaselineCompare');
}, 600_000);

afterAll(() => {
  if (assembly?.temporary) rmSync(assembly.dir, { recursive: true, force: true });
});

async function loadBundle(functionName: string): Promise<BundledHandler> {
  const entry = bundles.get(functionName);
  if (entry === undefined || !existsSync(entry)) throw new Error(`no bundle for ${functionName}`);
  const mod = (await import(pathToFileURL(entry).href)) as { handler?: BundledHandler };
  if (typeof mod.handler !== 'function') throw new Error(`${entry} exports no handler`);
  return mod.handler;
}

describe('one compare through the bundles cdk synth built', () => {
  let report: PipelineReport;

  beforeAll(async () => {
    const stack = await startLocalStack({
      endpoint: inject('dynamoEndpoint'),
      prefix: `b${randomUUID().slice(0, 8)}-`,
      retryIntervalOverrides: 0,
      asl,
      // Every task calls its function's bundle, never the TypeScript source.
      wrapHandler: (functionName) => async (event) => {
        calls.set(functionName, (calls.get(functionName) ?? 0) + 1);
        const handler = await loadBundle(functionName);
        return handler(event, localContext(functionName));
      },
    });
    try {
      report = await runPipeline({ baseline: `${FIXTURES}/baseline`, current: [`${FIXTURES}/drifted`], secretKey: SECRET_KEY }, stack);
    } finally {
      await stack.stop();
    }
  }, 300_000);

  it('runs every task of the deployed definition from its bundle', () => {
    expect([...new Set(Object.values(asl.taskFunctions))].every((fn) => bundles.has(fn))).toBe(true);
    expect([...calls.keys()].sort()).toEqual(['CheckSyncCoverage', 'ComparePolicyType', 'FinalizeRun', 'LoadSnapshot', 'UpsertFindings']);
  });

  it('finds what the offline compare of the same exports finds', async () => {
    const round = report.rounds[0]!;
    expect(round.run.status).toBe('completed');
    expect(round.run.outcome).toBe('succeeded');
    const offline = await runCompare({ baseline: `${FIXTURES}/baseline`, current: `${FIXTURES}/drifted`, secretKey: SECRET_KEY });
    const key = (f: { changeType: string; policyType: string; subjectKey: string }) => `${f.policyType}|${f.subjectKey}|${f.changeType}`;
    expect(round.findings.map(key).sort()).toEqual(offline.findings.map(key).sort());
    expect(round.findings.length).toBeGreaterThan(0);
  });
});
