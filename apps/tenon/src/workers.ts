/**
 * Several server processes on one port (`TENON_WORKERS`, decision 0073): node:cluster forks workers
 * that each run what `tenon serve` runs in one process (server, kernel, revaluation worker) against
 * the same PostgreSQL database; the primary hands each new connection to a worker in turn. Every part
 * of an instance is safe with several instances (decision 0048), so nothing is elected. The primary
 * prepares the database first (migrations, tenant, demo data), restarts a worker that dies and answers
 * `/metrics` requests with every worker's figures.
 */
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { serveClusterMetrics } from '@tenon/server';

/** Messages between the primary and a worker. */
export type WorkerMessage =
  | { type: 'tenon:listening'; address: string }
  | { type: 'tenon:failed'; message: string }
  | { type: 'tenon:stop' };

export type WorkerPool = {
  address: string;
  /** Process ids of the workers that listen (not those still starting). */
  pids(): number[];
  /** Stops every worker (each closes its server and database), killing one that takes over 10 s. */
  stop(): Promise<void>;
};

const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));
const STOP_GRACE_MS = 10_000;
const RESTART_DELAY_MS = 1000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Forks `count` workers with `env` (their configuration, read by loadConfig) and resolves once all of
 * them listen. A worker that fails to start fails the whole start (the others are stopped).
 */
export async function startWorkers(options: {
  count: number;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}): Promise<WorkerPool> {
  if (!cluster.isPrimary) throw new Error('startWorkers runs in the primary process');
  // The workers run the entry through the same loader as this process (tsx).
  cluster.setupPrimary({ exec: WORKER_ENTRY, execArgv: process.execArgv, args: [] });
  serveClusterMetrics();
  const workers = new Set<Worker>();
  const listening = new Set<Worker>();
  let stopping = false;
  /** Replacements that failed to start in a row: each waits twice as long as the one before. */
  let failures = 0;

  const pending = new Set<NodeJS.Timeout>();
  const replace = () => {
    const delay = Math.min(MAX_RESTART_DELAY_MS, RESTART_DELAY_MS * 2 ** failures);
    const timer = setTimeout(() => {
      pending.delete(timer);
      if (!stopping) fork(false).catch(() => {}); // a failed start schedules the next attempt itself
    }, delay);
    pending.add(timer);
    return delay;
  };

  /** Forks one worker; resolves with its address once it listens. */
  const fork = (initial: boolean) =>
    new Promise<string>((resolve, reject) => {
      const worker = cluster.fork(options.env);
      workers.add(worker);
      worker.on('message', (message: WorkerMessage) => {
        if (message?.type === 'tenon:listening') {
          listening.add(worker);
          failures = 0;
          resolve(message.address);
        } else if (message?.type === 'tenon:failed') reject(new Error(message.message));
      });
      worker.on('exit', (code, signal) => {
        workers.delete(worker);
        const how = signal ?? `exit code ${code}`;
        if (!listening.delete(worker)) {
          reject(new Error(`a server worker ended while starting (${how})`));
          // At start a failure fails the whole start; later (the database away, say) it is tried
          // again, ever less often, so the pool comes back when the cause goes.
          if (initial || stopping) return;
          failures++;
          options.log(`a server worker failed to start (${how}); trying again in ${replace() / 1000} s`);
          return;
        }
        if (stopping) return;
        // A worker that dies while serving is replaced; its connections were lost with it.
        options.log(`server worker ${worker.process.pid} ended (${how}); starting another`);
        replace();
      });
    });

  const stop = async () => {
    stopping = true;
    for (const timer of pending) clearTimeout(timer);
    await Promise.all(
      [...workers].map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            const kill = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
            worker.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            if (worker.isConnected()) worker.send({ type: 'tenon:stop' } satisfies WorkerMessage);
            else worker.process.kill('SIGTERM');
          }),
      ),
    );
  };

  try {
    // One first: it applies what migrations remain, and shows a bad configuration once.
    const address = await fork(true);
    await Promise.all(Array.from({ length: options.count - 1 }, () => fork(true)));
    return { address, pids: () => [...listening].map((w) => w.process.pid ?? 0).filter(Boolean), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
