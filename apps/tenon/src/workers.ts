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
  /** Process ids of the running workers. */
  pids(): number[];
  /** Stops every worker (each closes its server and database), killing one that takes over 10 s. */
  stop(): Promise<void>;
};

const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));
const STOP_GRACE_MS = 10_000;
const RESTART_DELAY_MS = 1000;

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
  let stopping = false;

  const fork = () =>
    new Promise<string>((resolve, reject) => {
      const worker = cluster.fork(options.env);
      workers.add(worker);
      let listening = false;
      worker.on('message', (message: WorkerMessage) => {
        if (message?.type === 'tenon:listening') {
          listening = true;
          resolve(message.address);
        } else if (message?.type === 'tenon:failed') reject(new Error(message.message));
      });
      worker.on('exit', (code, signal) => {
        workers.delete(worker);
        if (!listening) {
          reject(new Error(`a server worker ended while starting (${signal ?? `exit code ${code}`})`));
          return;
        }
        if (stopping) return;
        // A worker that dies while serving is replaced; its connections were lost with it.
        options.log(
          `server worker ${worker.process.pid} ended (${signal ?? `exit code ${code}`}); starting another`,
        );
        setTimeout(() => {
          if (!stopping)
            fork().catch((err: unknown) => options.log(`restarting a server worker failed: ${String(err)}`));
        }, RESTART_DELAY_MS);
      });
    });

  const stop = async () => {
    stopping = true;
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
    const address = await fork();
    await Promise.all(Array.from({ length: options.count - 1 }, fork));
    return { address, pids: () => [...workers].map((w) => w.process.pid ?? 0).filter(Boolean), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
