import { appStackTemplate, type CfnTemplate } from './synth.js';

/**
 * The runnable ASL of the synthesized `BaselineCompare` state machine. In the template its
 * `DefinitionString` is an `Fn::Join` of JSON text and `Fn::GetAtt [<function logical id>, Arn]`
 * tokens; each token becomes a placeholder ARN that names the function
 * (`arn:aws:lambda:local:000000000000:function:CheckSyncCoverage`), so the document runs locally and
 * says which function each Task state calls.
 */

export const LOCAL_REGION = 'local';
export const LOCAL_ACCOUNT = '000000000000';
const LOCAL_FUNCTION_ARN_PREFIX = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:`;

/** The placeholder ARN of a function. */
export function localFunctionArn(functionName: string): string {
  return `${LOCAL_FUNCTION_ARN_PREFIX}${functionName}`;
}

/** An ASL state, loosely typed: what the extraction needs to walk the definition. */
export interface AslState {
  Type: string;
  Resource?: string;
  ItemProcessor?: AslDefinition;
  Iterator?: AslDefinition;
  Branches?: AslDefinition[];
  [field: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [field: string]: unknown;
}

export interface StateMachineAsl {
  /** The logical id of the state machine resource in the template. */
  logicalId: string;
  /** The parsed ASL with placeholder ARNs. */
  definition: AslDefinition;
  /** Task state name -> name of the function it invokes (the function's construct id). */
  taskFunctions: Record<string, string>;
}

export class AslExtractionError extends Error {
  override readonly name = 'AslExtractionError';
}

/** `CheckSyncCoverage1A2B3C4D` -> `CheckSyncCoverage`: a top-level construct's id from its logical id. */
export function constructIdOfLogicalId(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

function resolvePart(part: unknown, template: CfnTemplate): string {
  if (typeof part === 'string') return part;
  if (part !== null && typeof part === 'object') {
    const getAtt = (part as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt.length === 2 && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') {
      const target = template.Resources[getAtt[0]];
      if (target?.Type !== 'AWS::Lambda::Function') {
        throw new AslExtractionError(`Fn::GetAtt ${getAtt[0]}.Arn does not name a Lambda function of the template`);
      }
      return localFunctionArn(constructIdOfLogicalId(getAtt[0]));
    }
    const ref = (part as { Ref?: unknown }).Ref;
    if (typeof ref === 'string' && ref in PSEUDO_PARAMETERS) return PSEUDO_PARAMETERS[ref]!;
  }
  throw new AslExtractionError(`Unsupported token in the state machine definition: ${JSON.stringify(part)}`);
}

function definitionText(definitionString: unknown, template: CfnTemplate): string {
  if (typeof definitionString === 'string') return definitionString;
  const join = (definitionString as { 'Fn::Join'?: unknown } | null)?.['Fn::Join'];
  if (Array.isArray(join) && join.length === 2 && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return (join[1] as unknown[]).map((part) => resolvePart(part, template)).join(join[0]);
  }
  throw new AslExtractionError('DefinitionString is neither a string nor an Fn::Join');
}

function collectTaskFunctions(definition: AslDefinition, into: Record<string, string>): void {
  for (const [stateName, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task' && typeof state.Resource === 'string' && state.Resource.startsWith(LOCAL_FUNCTION_ARN_PREFIX)) {
      if (stateName in into) throw new AslExtractionError(`State name '${stateName}' is used twice: task overrides are keyed by state name`);
      into[stateName] = state.Resource.slice(LOCAL_FUNCTION_ARN_PREFIX.length);
    }
    const nested = [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])];
    for (const child of nested) if (child) collectTaskFunctions(child, into);
  }
}

/**
 * Extracts the state machine whose construct id ends with `name` (or the template's only state
 * machine) as runnable ASL.
 */
export function extractStateMachineAsl(template: CfnTemplate, name: string): StateMachineAsl {
  const machines = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  const named = machines.filter(([id]) => constructIdOfLogicalId(id).endsWith(name));
  const match = named.length === 1 ? named[0] : machines.length === 1 ? machines[0] : undefined;
  if (match === undefined) {
    throw new AslExtractionError(
      `No single state machine '${name}' in the template (state machines: ${machines.map(([id]) => id).join(', ') || 'none'})`,
    );
  }
  const [logicalId, resource] = match;
  const definition = JSON.parse(definitionText(resource.Properties?.DefinitionString, template)) as AslDefinition;
  const taskFunctions: Record<string, string> = {};
  collectTaskFunctions(definition, taskFunctions);
  return { logicalId, definition, taskFunctions };
}

/** The `BaselineCompare` state machine of the app stack (synthesized in-process once per process). */
export function baselineCompareAsl(template: CfnTemplate = appStackTemplate()): StateMachineAsl {
  return extractStateMachineAsl(template, 'BaselineCompare');
}
