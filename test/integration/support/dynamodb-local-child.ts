/**
 * A process that starts DynamoDB Local, reports it on stdout as one JSON line and then idles until
 * it is killed: the lifecycle test kills it with SIGKILL and checks that no java survives it.
 */
import { startDynamoDbLocal } from '../../../infra/local/dynamodb-local.js';

const local = await startDynamoDbLocal();
process.stdout.write(`${JSON.stringify({ endpoint: local.endpoint, port: local.port, pid: process.pid })}\n`);
setInterval(() => undefined, 60_000);
