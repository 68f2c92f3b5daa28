import { Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { LogLevel, LogRetentionDays } from '../stage.js';

/**
 * The one way this project builds a Lambda function: Node.js (latest LTS runtime the CDK offers), arm64,
 * ESM bundle built by the local esbuild (no Docker), X-Ray active, its own log group with retention,
 * its own role (no AWS managed policies), Powertools settings in the environment.
 */

/** The Lambda runtime of every function: the latest Node.js LTS runtime aws-cdk-lib offers. */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;
/** esbuild target matching `FUNCTION_RUNTIME`. */
export const FUNCTION_BUNDLE_TARGET = 'node24';
/** Powertools `service` of every function (logs, traces and the metrics' `service` dimension). */
export const SERVICE_NAME = 'baseline-drift-engine';
/** CloudWatch namespace of the engine's custom metrics (Powertools reads it from the environment). */
export const METRICS_NAMESPACE = 'BaselineDriftEngine';

/**
 * Bundles are ESM; some dependencies still call `require` (CommonJS built-ins): give them one.
 * The alias keeps the banner from clashing with a bundled `createRequire` import.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __bdeCreateRequire } from 'node:module'; const require = __bdeCreateRequire(import.meta.url);";

export type TableAccess = 'read' | 'write' | 'readWrite';

/** Item reads (transactions' condition checks included). No scans of streams, no table management. */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
] as const;
/** Item writes (TransactWriteItems is authorized through these). */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/** Names of a table's secondary indexes (none known for an imported table). */
export function indexNamesOf(table: ITable): string[] {
  const cfn = table.node.defaultChild;
  if (!(cfn instanceof dynamodb.CfnTable)) return [];
  const stack = Stack.of(table);
  const names: string[] = [];
  for (const indexes of [cfn.globalSecondaryIndexes, cfn.localSecondaryIndexes]) {
    const resolved: unknown = stack.resolve(indexes);
    if (!Array.isArray(resolved)) continue;
    for (const index of resolved as Array<{ indexName?: unknown }>) {
      if (typeof index.indexName === 'string') names.push(index.indexName);
    }
  }
  return names;
}

export interface AppFunctionProps {
  /** Absolute path of the handler module (`functions/<name>/handler.ts`, exporting `handler`). */
  readonly entry: string;
  readonly description?: string;
  /** Default 30 seconds. */
  readonly timeout?: Duration;
  /** Default 1024 MB. */
  readonly memorySize?: number;
  readonly logLevel: LogLevel;
  readonly logRetentionDays: LogRetentionDays;
  /** Keep the log group when the stack is deleted. */
  readonly retain: boolean;
  /** Extra environment variables (Powertools ones are set already). */
  readonly environment?: Record<string, string>;
}

export class AppFunction extends NodejsFunction {
  readonly functionRole: iam.Role;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy,
    });
    // An explicit role: the default one would carry the AWS managed AWSLambdaBasicExecutionRole policy,
    // whose log permissions cover every log group of the account.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${id} function`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        LOG_LEVEL: props.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: FUNCTION_BUNDLE_TARGET,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        // Bundle the pinned AWS SDK too: the code runs against the versions it was tested with.
        externalModules: [],
      },
    });
    this.functionRole = role;

    // Tracing puts xray:PutTraceSegments / PutTelemetryRecords on the role: those actions have no
    // resource-level permissions, so their statement can only name `*`.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
  }

  /**
   * Gives the function one table: sets `envName` to the table's name and grants exactly `access`:
   * item reads (and queries on the table's own indexes, each named) for `read`, item writes for
   * `write`, both for `readWrite`; the table's customer-managed key, when it has one, to match.
   */
  useTable(table: ITable, access: TableAccess, envName: string): this {
    this.addEnvironment(envName, table.tableName);
    const reads = access !== 'write';
    const writes = access !== 'read';
    const actions = [...(reads ? TABLE_READ_ACTIONS : []), ...(writes ? TABLE_WRITE_ACTIONS : [])];
    const resources = [table.tableArn];
    if (reads) {
      // Named indexes rather than `<table>/index/*`: only what the table defines, nothing added later.
      resources.push(...indexNamesOf(table).map((name) => `${table.tableArn}/index/${name}`));
    }
    iam.Grant.addToPrincipal({ grantee: this, actions, resourceArns: resources });
    if (table.encryptionKey) {
      if (reads && writes) table.encryptionKey.grantEncryptDecrypt(this);
      else if (reads) table.encryptionKey.grantDecrypt(this);
      else table.encryptionKey.grantEncrypt(this);
    }
    return this;
  }

  /** Lets the function read one secret's value (`secretsmanager:GetSecretValue`); sets `envName` to its ARN. */
  useSecret(secret: secretsmanager.ISecret, envName: string): this {
    this.addEnvironment(envName, secret.secretArn);
    iam.Grant.addToPrincipal({ grantee: this, actions: ['secretsmanager:GetSecretValue'], resourceArns: [secret.secretArn] });
    secret.encryptionKey?.grantDecrypt(this);
    return this;
  }

  /** Lets the function start executions of `stateMachine` (and nothing else on it); sets `envName` to its ARN. */
  useStateMachine(stateMachine: sfn.IStateMachine, envName = 'STATE_MACHINE_ARN'): this {
    this.addEnvironment(envName, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this);
    return this;
  }

  /**
   * Lets the function invoke `target` (`lambda:InvokeFunction` on it and its versions/aliases, as
   * `grantInvoke` gives it); sets `envName` to the target's function name.
   */
  useFunction(target: lambda.Function, envName: string): this {
    this.addEnvironment(envName, target.functionName);
    target.grantInvoke(this);
    Validations.of(this.functionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(target).getLogicalId(target.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: `lambda:InvokeFunction on the ${target.node.id} function and its versions/aliases (granted by grantInvoke).`,
    });
    return this;
  }

  /**
   * For a function others invoke asynchronously (`InvocationType: Event`): an invoke that still fails
   * after Lambda's retries, or that waits too long in Lambda's internal queue, goes with its request
   * and error to an encrypted SQS queue (kept 14 days) instead of vanishing; alarm on the queue.
   */
  sendAsyncFailuresToQueue(props: { maxEventAge?: Duration; retryAttempts?: number } = {}): sqs.Queue {
    const queue = new sqs.Queue(this, 'AsyncFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is the failure destination of the ${this.node.id} function's asynchronous invokes (a dead-letter queue itself).`,
    });
    this.configureAsyncInvoke({
      onFailure: new SqsDestination(queue),
      retryAttempts: props.retryAttempts ?? 2,
      maxEventAge: props.maxEventAge ?? Duration.hours(6),
    });
    return queue;
  }

  /** Lets the function put events on `bus` (and nowhere else); sets `EVENT_BUS_NAME` and `EVENT_SOURCE`. */
  useEventBus(bus: IEventBus, source: string): this {
    this.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
    this.addEnvironment('EVENT_SOURCE', source);
    bus.grantPutEventsTo(this);
    return this;
  }
}
