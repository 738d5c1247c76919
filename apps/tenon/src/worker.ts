/**
 * One server process of a worker pool (workers.ts): opens the system from the environment the primary
 * handed over, serves on the shared port and stops when the primary asks or goes away.
 */
import { openSystem, startServer } from './boot.ts';
import { loadConfig } from './config.ts';
import type { WorkerMessage } from './workers.ts';

const send = (message: WorkerMessage) => process.send?.(message);

async function main(): Promise<void> {
  const system = await openSystem(loadConfig());
  const { app, address } = await startServer(system);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await app.close();
      await system.db.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('message', (message: WorkerMessage) => {
    if (message?.type === 'tenon:stop') void stop();
  });
  // The primary is gone (killed): nothing hands this process connections any more.
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  send({ type: 'tenon:listening', address });
}

main().catch((err: unknown) => {
  send({ type: 'tenon:failed', message: err instanceof Error ? err.message : String(err) });
  console.error(err);
  process.exit(1);
});
