import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DriftTables } from '../constructs/tables.js';

export interface DataStackProps extends StackProps {
  stage: string;
  /** Retain the tables (and protect them from deletion) when the stack goes. Default: stage === 'prod'. */
  retain?: boolean;
}

/** The stateful part of the product: every DynamoDB table, kept apart from the stateless app stack. */
export class DataStack extends Stack {
  readonly tables: DriftTables;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    const { stage, retain, ...stackProps } = props;
    super(scope, id, stackProps);
    this.tables = new DriftTables(this, 'Tables', { stage, ...(retain !== undefined ? { retain } : {}) });
  }
}
