import { startLocalStack } from '../../infra/local/stack.js';
import { invocationCounter, measurePipeline } from './pipeline.js';
const counter = invocationCounter();
const stack = await startLocalStack({ wrapHandler: counter.wrap });
try {
  const m = await measurePipeline(stack, counter, { perType: Number(process.argv[2] ?? 100), driftRate: 0.01, log: (m) => console.error(m) });
  console.log(m);
} finally {
  await stack.stop();
}
