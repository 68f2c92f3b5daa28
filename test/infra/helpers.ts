import { expect } from 'vitest';
import { constructIdOfLogicalId } from '../../infra/local/asl.js';
import type { CfnTemplate } from '../../infra/local/synth.js';
import { TABLE_NAMES, TABLE_SPECS, type TableName } from '../../shared/adapters/dynamodb/table-specs.js';

/** Reading synthesized templates in the infrastructure tests: logical ids, IAM statements, resources. */

export interface Statement {
  Effect: string;
  Action: string[];
  Resource: unknown[];
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
}

/** The one logical id of a top-level construct (optionally of a resource type); fails the test otherwise. */
export function logicalIdOf(template: CfnTemplate, constructId: string, type?: string): string {
  const ids = Object.keys(template.Resources).filter(
    (id) => constructIdOfLogicalId(id) === constructId && (type === undefined || template.Resources[id]!.Type === type),
  );
  expect({ constructId, ids: ids.length }).toEqual({ constructId, ids: 1 });
  return ids[0]!;
}

function normalizeStatement(s: Record<string, unknown>): Statement {
  return {
    Effect: s.Effect as string,
    Action: ([] as string[]).concat(s.Action as string | string[]),
    Resource: ([] as unknown[]).concat(s.Resource ?? []),
    ...(s.Condition === undefined ? {} : { Condition: s.Condition as Statement['Condition'] }),
    ...(s.Principal === undefined ? {} : { Principal: s.Principal }),
  };
}

/** Every statement of the identity policies attached to a role (by its logical id). */
export function statementsOfRole(template: CfnTemplate, roleLogicalId: string): Statement[] {
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => (r.Properties?.Roles as unknown[] | undefined)?.some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((r) => (r.Properties!.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement)
    .map(normalizeStatement);
}

/** Every statement of the policies attached to a function's role (`<FunctionId>Role`). */
export function statementsOf(template: CfnTemplate, functionId: string): Statement[] {
  return statementsOfRole(template, logicalIdOf(template, `${functionId}Role`, 'AWS::IAM::Role'));
}

/** The trust policy statements of a role. */
export function trustStatementsOf(template: CfnTemplate, roleLogicalId: string): Statement[] {
  const doc = template.Resources[roleLogicalId]!.Properties!.AssumeRolePolicyDocument as { Statement: Array<Record<string, unknown>> };
  return doc.Statement.map(normalizeStatement);
}

/** The environment variables of a function (by construct id). */
export function envOf(template: CfnTemplate, functionId: string): Record<string, unknown> {
  const fn = template.Resources[logicalIdOf(template, functionId, 'AWS::Lambda::Function')]!;
  return (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** Resources of one type: logical id -> properties. */
export function resourcesOfType(template: CfnTemplate, type: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([id, r]) => [id, r.Properties ?? {}]),
  );
}

/**
 * A readable name for a policy resource of the app stack:
 * - `table:<name>` and `table:<name>/index/<index>` for the data stack's tables (imported ARNs);
 * - `secret:NormalizationKey` for the master key (imported), `secret:WebhookKey` for the webhook key;
 * - `<ConstructId>` for `Fn::GetAtt [X, Arn]` and `Ref X`, `<ConstructId>:*` for versions/aliases;
 * - `event-bus/<name>`, `*`, or the JSON text of anything else.
 */
export function describeResource(resource: unknown, dataTemplate: CfnTemplate): string {
  if (resource === '*') return '*';
  const json = JSON.stringify(resource);
  const tableLogicalIds = Object.fromEntries(
    TABLE_NAMES.map((name) => [name, logicalIdOf(dataTemplate, `Tables${TABLE_SPECS[name].constructId}`, 'AWS::DynamoDB::Table')]),
  ) as Record<TableName, string>;
  const importValue = (r: unknown): string | undefined => (r as { 'Fn::ImportValue'?: string } | null)?.['Fn::ImportValue'];
  const join = (r: unknown): unknown[] | undefined => (r as { 'Fn::Join'?: [string, unknown[]] } | null)?.['Fn::Join']?.[1];
  const getAtt = (r: unknown): string | undefined => (r as { 'Fn::GetAtt'?: [string, string] } | null)?.['Fn::GetAtt']?.[0];
  const ref = (r: unknown): string | undefined => (r as { Ref?: string } | null)?.Ref;

  const imported = importValue(resource);
  if (imported !== undefined) {
    for (const name of TABLE_NAMES) if (imported.includes(`FnGetAtt${tableLogicalIds[name]}Arn`)) return `table:${name}`;
    if (/ExportsOutputRefNormalizationKeySecret/.test(imported)) return 'secret:NormalizationKey';
    if (/ExportsOutputRefWebhookKeySecret/.test(imported)) return 'secret:WebhookKey';
    return `import:${imported}`;
  }
  const parts = join(resource);
  if (parts !== undefined && parts.length === 2 && typeof parts[1] === 'string') {
    return `${describeResource(parts[0], dataTemplate)}${parts[1]}`;
  }
  if (parts !== undefined) {
    const last = parts[parts.length - 1];
    if (typeof last === 'string' && /:event-bus\/[^:]+$/.test(last)) return last.slice(last.lastIndexOf(':') + 1);
  }
  const att = getAtt(resource);
  if (att !== undefined) return constructIdOfLogicalId(att);
  const r = ref(resource);
  if (r !== undefined) return constructIdOfLogicalId(r);
  return json;
}

/** `action -> resource` lines of a set of statements (sorted, duplicates removed). */
export function permissionLines(statements: Statement[], dataTemplate: CfnTemplate): string[] {
  const lines = new Set<string>();
  for (const s of statements) {
    expect(s.Effect).toBe('Allow');
    for (const action of s.Action) for (const resource of s.Resource) lines.add(`${action} -> ${describeResource(resource, dataTemplate)}`);
  }
  return [...lines].sort();
}
