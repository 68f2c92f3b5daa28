/**
 * Per test file of every project with DynamoDB Local: its endpoint and tables in `process.env` before
 * the file's first test, so no file repeats that step (see `dynamoTestContext`).
 */
import { dynamoTestContext } from './dynamodb.js';

dynamoTestContext();
