import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { NormalizationKeySecret, WebhookKeySecret } from '../constructs/secrets.js';
import { DriftTables } from '../constructs/tables.js';

export interface DataStackProps extends StackProps {
  stage: string;
  /** Retain the tables (and protect them from deletion) when the stack goes. Default: stage === 'prod'. */
  retain?: boolean;
}

/**
 * The stateful part of the product, kept apart from the stateless app stack: every DynamoDB table and
 * the normalization master key (stored digests depend on it, so it lives as long as the data) and the
 * webhook master key (destinations' signing secrets and URLs depend on it).
 */
export class DataStack extends Stack {
  readonly tables: DriftTables;
  readonly normalizationKey: NormalizationKeySecret;
  readonly webhookKey: WebhookKeySecret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    const { stage, retain, ...stackProps } = props;
    super(scope, id, stackProps);
    this.tables = new DriftTables(this, 'Tables', { stage, ...(retain !== undefined ? { retain } : {}) });
    this.normalizationKey = new NormalizationKeySecret(this, 'NormalizationKey', { stage, retain: retain ?? stage === 'prod' });
    this.webhookKey = new WebhookKeySecret(this, 'WebhookKey', { stage, retain: retain ?? stage === 'prod' });
  }
}
