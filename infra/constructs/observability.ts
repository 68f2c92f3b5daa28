import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from './app-function.js';

/**
 * Alarms and the operations dashboard of the engine.
 *
 * Alarms (all notify the alarm topic): compare executions failed, timed out, aborted; errors of each
 * function; a message waiting in a dead-letter queue (a schedule trigger that could not be delivered);
 * server errors (5xx) of the portal API. The dashboard shows executions started/succeeded/failed/timed out/aborted, execution
 * duration, function errors, and the findings opened/reopened/resolved per day: custom metrics in
 * namespace `BaselineDriftEngine`, emitted by FinalizeRun through Powertools metrics with the default
 * `service` dimension only (`service = baseline-drift-engine`, set in every function's environment).
 */

/** Names of the custom finding metrics (Sum per day on the dashboard). */
export const FINDING_METRICS = {
  opened: 'FindingsOpened',
  reopened: 'FindingsReopened',
  resolved: 'FindingsResolved',
} as const;

export interface ObservabilityProps {
  readonly stateMachine: sfn.StateMachine;
  /** Functions whose errors raise an alarm, by a readable name (`CheckSyncCoverage`, ...). */
  readonly functions: Record<string, lambda.IFunction>;
  /** The portal API: an alarm on its 5xx responses and a dashboard row (requests, errors, latency). */
  readonly httpApi?: apigwv2.IHttpApi;
  /** Dead-letter queues whose first message raises an alarm, by a readable name. */
  readonly deadLetterQueues?: Record<string, sqs.IQueue>;
  readonly stage: string;
  /** Subscribed to the alarm topic when given. */
  readonly alarmEmail?: string;
  readonly retain: boolean;
}

export class Observability extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly alarms: {
    readonly executionsFailed: cloudwatch.Alarm;
    readonly executionsTimedOut: cloudwatch.Alarm;
    readonly executionsAborted: cloudwatch.Alarm;
    readonly functionErrors: Record<string, cloudwatch.Alarm>;
    readonly deadLetters: Record<string, cloudwatch.Alarm>;
    readonly apiServerErrors?: cloudwatch.Alarm;
  };
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const sm = props.stateMachine;

    // Alarm notifications are encrypted at rest with a key CloudWatch may use (the AWS managed SNS
    // key cannot be used by CloudWatch alarms).
    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the Baseline Drift Engine alarm topic',
      enableKeyRotation: true,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    topicKey.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Baseline Drift Engine alarms (${props.stage})`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }
    const notify = new cwActions.SnsAction(this.alarmTopic);

    const executionAlarm = (alarmId: string, metric: cloudwatch.Metric, what: string): cloudwatch.Alarm => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: `A BaselineCompare execution ${what} (stage ${props.stage}).`,
        metric: metric.with({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      return alarm;
    };
    const functionErrors: Record<string, cloudwatch.Alarm> = {};
    for (const [name, fn] of Object.entries(props.functions)) {
      const alarm = new cloudwatch.Alarm(this, `${name}Errors`, {
        alarmDescription: `The ${name} function reported errors (stage ${props.stage}).`,
        metric: fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      functionErrors[name] = alarm;
    }
    const deadLetters: Record<string, cloudwatch.Alarm> = {};
    for (const [name, queue] of Object.entries(props.deadLetterQueues ?? {})) {
      const alarm = new cloudwatch.Alarm(this, `${name}DeadLetters`, {
        alarmDescription: `Messages are waiting in the ${name} dead-letter queue (stage ${props.stage}).`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      deadLetters[name] = alarm;
    }
    let apiServerErrors: cloudwatch.Alarm | undefined;
    if (props.httpApi !== undefined) {
      apiServerErrors = new cloudwatch.Alarm(this, 'ApiServerErrors', {
        alarmDescription: `The portal API answered with server errors (5xx) (stage ${props.stage}).`,
        metric: props.httpApi.metricServerError({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      apiServerErrors.addAlarmAction(notify);
    }
    this.alarms = {
      ...(apiServerErrors === undefined ? {} : { apiServerErrors }),
      deadLetters,
      executionsFailed: executionAlarm('ExecutionsFailed', sm.metricFailed(), 'failed'),
      executionsTimedOut: executionAlarm('ExecutionsTimedOut', sm.metricTimedOut(), 'timed out'),
      executionsAborted: executionAlarm('ExecutionsAborted', sm.metricAborted(), 'was aborted'),
      functionErrors,
    };

    const hourlySum = { statistic: cloudwatch.Stats.SUM, period: Duration.hours(1) };
    const findingMetric = (metricName: string, label: string): cloudwatch.Metric =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE_NAME },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.days(1),
        label,
      });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Compare executions (per hour)',
        width: 12,
        left: [
          sm.metricStarted({ ...hourlySum, label: 'Started' }),
          sm.metricSucceeded({ ...hourlySum, label: 'Succeeded' }),
          sm.metricFailed({ ...hourlySum, label: 'Failed' }),
          sm.metricTimedOut({ ...hourlySum, label: 'Timed out' }),
          sm.metricAborted({ ...hourlySum, label: 'Aborted' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Compare execution duration',
        width: 12,
        left: [
          sm.metricTime({ statistic: cloudwatch.Stats.AVERAGE, period: Duration.hours(1), label: 'Average' }),
          sm.metricTime({ statistic: cloudwatch.Stats.p(95), period: Duration.hours(1), label: 'p95' }),
          sm.metricTime({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.hours(1), label: 'Maximum' }),
        ],
        leftYAxis: { label: 'ms', showUnits: false },
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Findings per day',
        width: 12,
        view: cloudwatch.GraphWidgetView.BAR,
        left: [
          findingMetric(FINDING_METRICS.opened, 'Opened'),
          findingMetric(FINDING_METRICS.reopened, 'Reopened'),
          findingMetric(FINDING_METRICS.resolved, 'Resolved'),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Function errors (per hour)',
        width: 12,
        left: Object.entries(props.functions).map(([name, fn]) => fn.metricErrors({ ...hourlySum, label: name })),
      }),
    );
    if (props.httpApi !== undefined) {
      const api = props.httpApi;
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Portal API requests (per 5 minutes)',
          width: 12,
          left: [
            api.metricCount({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), label: 'Requests' }),
            api.metricClientError({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), label: '4xx' }),
            api.metricServerError({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), label: '5xx' }),
          ],
        }),
        new cloudwatch.GraphWidget({
          title: 'Portal API latency',
          width: 12,
          left: [
            api.metricLatency({ statistic: cloudwatch.Stats.p(50), period: Duration.minutes(5), label: 'p50' }),
            api.metricLatency({ statistic: cloudwatch.Stats.p(95), period: Duration.minutes(5), label: 'p95' }),
            api.metricIntegrationLatency({ statistic: cloudwatch.Stats.p(95), period: Duration.minutes(5), label: 'integration p95' }),
          ],
          leftYAxis: { label: 'ms', showUnits: false },
        }),
      );
    }
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        width: 24,
        alarms: [
          this.alarms.executionsFailed,
          this.alarms.executionsTimedOut,
          this.alarms.executionsAborted,
          ...Object.values(functionErrors),
          ...Object.values(deadLetters),
          ...(apiServerErrors === undefined ? [] : [apiServerErrors]),
        ],
      }),
    );
  }
}
