/**
 * Validates the Amazon States Language of every state machine in the synthesized templates with
 * `asl-validator` (the ASL schema, transitions to missing states, unreachable or terminal-less states,
 * duplicate names, JSONPath syntax): `tsx scripts/validate-asl.ts [cdk.out]`, after `npm run synth`.
 * The `Fn::GetAtt` function ARNs of a definition are resolved to placeholder ARNs first, as the local
 * workflow runner does.
 *
 * asl-validator (Apache-2.0, kept up to date with the States Language, including JSONata) is used
 * rather than checks of our own: the schema is the part we would get wrong.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { constructIdOfLogicalId, extractStateMachineAsl } from '../infra/local/asl.js';
import type { CfnTemplate } from '../infra/local/synth.js';

interface AslValidationResult {
  isValid: boolean;
  errors: Array<{ 'Error code': string; Message: string; path?: string }>;
  errorsText: (separator?: string) => string;
}
type AslValidator = (definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }) => AslValidationResult;

const validateAsl = createRequire(import.meta.url)('asl-validator') as AslValidator;

/** Every state machine of the templates in `dir`, validated; returns one line per problem. */
export function validateStateMachines(dir: string): { checked: string[]; problems: string[] } {
  const checked: string[] = [];
  const problems: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.template.json')).sort()) {
    const template = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CfnTemplate;
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
      const where = `${file.replace(/\.template\.json$/, '')}/${constructIdOfLogicalId(logicalId)}`;
      const { definition } = extractStateMachineAsl(onlyMachine(template, logicalId), constructIdOfLogicalId(logicalId));
      const result = validateAsl(definition, { checkPaths: true, checkArn: true });
      checked.push(where);
      if (!result.isValid) problems.push(...result.errors.map((e) => `${where}: ${e['Error code']}: ${e.Message}${e.path ? ` (at ${e.path})` : ''}`));
    }
  }
  return { checked, problems };
}

/** The template with only `logicalId` among its state machines, so extraction picks exactly it. */
function onlyMachine(template: CfnTemplate, logicalId: string): CfnTemplate {
  const resources = Object.fromEntries(
    Object.entries(template.Resources).filter(([id, r]) => r.Type !== 'AWS::StepFunctions::StateMachine' || id === logicalId),
  );
  return { ...template, Resources: resources };
}

const dir = process.argv[2] ?? 'cdk.out';
if (!existsSync(dir)) {
  console.error(`${dir} does not exist: run \`npm run synth\` first`);
  process.exit(2);
}
const { checked, problems } = validateStateMachines(dir);
if (checked.length === 0) {
  console.error(`No state machine in ${dir}/*.template.json: run \`npm run synth\` first`);
  process.exit(1);
}
if (problems.length > 0) {
  console.error(`ASL validation failed:\n${problems.join('\n')}`);
  process.exit(1);
}
console.error(`ASL valid: ${checked.join(', ')}`);
