/**
 * Child process for the crash tests: writes and commits one batch, then writes a second batch
 * without committing, says "ready" and waits to be killed with SIGKILL.
 * argv[2]: JSON { config, stream, committed, uncommitted, connectionId }.
 */
import { createDestination } from '../create-destination.js';
import type { DestinationConfig } from '../config.js';
import type { DestinationStream } from '../destination.js';

interface CrashPlan {
  config: DestinationConfig;
  stream: DestinationStream;
  committed: number;
  uncommitted: number;
  connectionId: string;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as CrashPlan;
const destination = createDestination(plan.config);
const writer = await destination.open([plan.stream], { syncId: '1', connectionId: plan.connectionId, generationId: 1 });
const pad = 'x'.repeat(100);
for (let id = 0; id < plan.committed; id += 1) await writer.write(plan.stream.name, plan.stream.namespace, { id, pad }, 1_700_000_000_000);
await writer.commit({ type: 'STREAM', stream: { stream_descriptor: { name: plan.stream.name }, stream_state: { cursor: plan.committed } } });
for (let id = plan.committed; id < plan.committed + plan.uncommitted; id += 1) {
  await writer.write(plan.stream.name, plan.stream.namespace, { id, pad }, 1_700_000_000_000);
}
process.stdout.write('ready\n');
setInterval(() => undefined, 1000);
