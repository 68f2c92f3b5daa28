import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addBaselineDriftStacks } from './stacks/app-stack.js';
import { stageConfigFromContext } from './stage.js';
import { ensureConsoleBuild } from './local/console.js';

/**
 * The CDK app (`cdk.json` points here): `npm run synth`, `npx cdk synth -c stage=prod`.
 * Synthesizes offline: no context lookups, Lambda bundles built by the local esbuild (no Docker).
 * The AWS Solutions checks (cdk-nag) run as a validation plugin: an unacknowledged finding fails the synth.
 * With `-c consoleClientId=...` the console is built (when stale) and deployed with the stage.
 */
const app = new App();
const config = stageConfigFromContext((key) => app.node.tryGetContext(key));
// A stage with a console deploys its build: make it when it is missing or older than its sources.
if (config.consoleClientId !== undefined) await ensureConsoleBuild((line) => process.stderr.write(`${line}\n`));
addBaselineDriftStacks(app, config);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
