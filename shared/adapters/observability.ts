/**
 * Observability of the functions, built once per container: one Powertools Logger, one Metrics and one
 * Tracer for every entry point, and `traced` for the AWS SDK clients the adapters create (each call
 * becomes an X-Ray subsegment on AWS). Outside Lambda the tracer is off by itself (Powertools checks
 * the execution environment), so tests and the local stack run the same clients untraced.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const SERVICE_NAME = process.env.POWERTOOLS_SERVICE_NAME ?? 'baseline-drift-engine';

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: 'BaselineDriftEngine', serviceName: SERVICE_NAME });
export const tracer = new Tracer({ serviceName: SERVICE_NAME });

/** The client with its calls traced (unchanged when tracing is off). */
export function traced<C extends object>(client: C): C {
  return tracer.captureAWSv3Client(client);
}
