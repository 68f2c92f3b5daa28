import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addBaselineDriftStacks, type BaselineDriftStacks } from '../stacks/app-stack.js';
import { parseStageConfig, type StageConfig, type StageInput } from '../stage.js';

/**
 * In-process synthesis of both stacks with Lambda bundling skipped (about a second instead of a full
 * `cdk synth`): what the local stack needs (the BaselineCompare ASL, the table definitions) and what
 * the infrastructure tests assert on. The cloud assembly goes to a temporary directory that is removed
 * before returning; templates are kept in memory.
 */

/** A CloudFormation template as JSON. */
export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }>;
  [section: string]: unknown;
}

/** One finding of a validation plugin (cdk-nag) as written to `validation-report.json`. */
export interface ValidationViolation {
  ruleName: string;
  description: string;
  severity: string;
  violatingConstructs: Array<{ constructPath: string }>;
}

export interface SynthesizedStacks {
  config: StageConfig;
  templates: { app: CfnTemplate; data: CfnTemplate };
  /** Present when synthesized with `nag: true`: the AWS Solutions findings left unacknowledged. */
  violations?: ValidationViolation[];
}

export interface SynthOptions {
  /** Stage configuration overrides (default: the `dev` stage defaults). */
  stage?: Partial<Record<keyof StageInput, unknown>>;
  /** Run the AWS Solutions checks (cdk-nag) as the CLI synth does, and return their findings. */
  nag?: boolean;
  /**
   * Run aws-cdk-lib's built-in CloudFormation schema validation (default off: it takes most of the
   * synth time; `npm run synth` keeps it on).
   */
  builtinValidation?: boolean;
  /** The console's build to deploy when the stage names a console client id (default `console/dist`). */
  consoleAssetDir?: string;
  /** Adds constructs to the stacks before synthesis (tests: prove a check notices what it should). */
  extend?: (stacks: BaselineDriftStacks) => void;
}

interface ValidationReport {
  pluginReports?: Array<{ violations?: ValidationViolation[] }>;
}

/** Synthesizes both stacks now (no cache). */
export function synthesizeStacks(options: SynthOptions = {}): SynthesizedStacks {
  const config = parseStageConfig(options.stage ?? {});
  const outdir = mkdtempSync(join(tmpdir(), 'baseline-drift-synth-'));
  try {
    const app = new App({
      outdir,
      context: { 'aws:cdk:bundling-stacks': [] },
      builtinCloudFormationValidation: options.builtinValidation ?? false,
    });
    const stacks = addBaselineDriftStacks(app, config, options.consoleAssetDir !== undefined ? { consoleAssetDir: options.consoleAssetDir } : {});
    options.extend?.(stacks);
    if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    let synthError: unknown;
    let assembly;
    try {
      assembly = app.synth();
    } catch (error) {
      synthError = error;
    }
    const reportPath = join(outdir, 'validation-report.json');
    const violations = existsSync(reportPath)
      ? ((JSON.parse(readFileSync(reportPath, 'utf8')) as ValidationReport).pluginReports ?? []).flatMap(
          (r) => r.violations ?? [],
        )
      : [];
    // A failed validation stops the synth: with `nag`, report its findings rather than the bare error.
    if (assembly === undefined && !(options.nag && violations.length > 0)) throw synthError;
    const readTemplate = (artifactId: string): CfnTemplate => {
      const path = join(outdir, `${artifactId}.template.json`);
      return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as CfnTemplate) : { Resources: {} };
    };
    const templates = { app: readTemplate(stacks.app.artifactId), data: readTemplate(stacks.data.artifactId) };
    return options.nag ? { config, templates, violations } : { config, templates };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const cache = new Map<string, SynthesizedStacks>();

/** Synthesizes both stacks once per process and stage configuration (for the local stack). */
export function synthesizeStacksCached(stage: SynthOptions['stage'] = {}): SynthesizedStacks {
  const key = JSON.stringify(Object.entries(stage).sort(([a], [b]) => a.localeCompare(b)));
  let result = cache.get(key);
  if (result === undefined) {
    result = synthesizeStacks({ stage });
    cache.set(key, result);
  }
  return result;
}

/** The app stack's template (functions, workflow, alarms), synthesized once per process. */
export function appStackTemplate(stage?: SynthOptions['stage']): CfnTemplate {
  return synthesizeStacksCached(stage).templates.app;
}

/** The data stack's template (tables), synthesized once per process. */
export function dataStackTemplate(stage?: SynthOptions['stage']): CfnTemplate {
  return synthesizeStacksCached(stage).templates.data;
}
