/**
 * The background runner of pending revaluations (decision 0016): while the server runs, every
 * `intervalMs` it resumes the pending jobs of each tenant, chunk by chunk, so a back-dated move whose
 * revaluation was cut short (the process stopped after the posting, a bulk import with
 * `revalue: false`, a chunk that failed) finishes without anyone running `tenon inventory revalue`.
 * Several instances may run it: a job another runner is working on is skipped (advisory lock).
 */
import type { Database } from '@tenon/db';
import { runRevaluations } from './revalue-stock.service.ts';

export type RevaluationWorkerOptions = {
  /** The tenant schemas to look in (called on every round). */
  schemas: () => Promise<string[]>;
  /** Pause between rounds; default 30 s. */
  intervalMs?: number;
  /** Chunks one round runs per tenant before yielding to the next tenant; default 50. */
  maxChunks?: number;
  /** Entries per chunk; default DEFAULT_CHUNK. */
  chunkSize?: number;
  log?: (message: string, detail?: Record<string, unknown>) => void;
};

export type RevaluationWorker = {
  /** Runs one round now (what the timer does); resolves when it is over. */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
};

const UNDEFINED_TABLE = '42P01';

export function startRevaluationWorker(db: Database, options: RevaluationWorkerOptions): RevaluationWorker {
  let running: Promise<void> | null = null;
  let stopped = false;
  const round = async () => {
    for (const schema of await options.schemas()) {
      if (stopped) return;
      try {
        const done = await runRevaluations(db, schema, {
          skipBusy: true,
          maxChunks: options.maxChunks ?? 50,
          ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
        });
        if (done.chunks > 0) options.log?.('inventory revaluations resumed', { schema, ...done });
      } catch (err) {
        // A schema without the inventory tables has nothing to revalue; anything else is logged and
        // retried on the next round (the jobs stay pending).
        if ((err as { code?: string }).code === UNDEFINED_TABLE) continue;
        options.log?.('inventory revaluation round failed', { schema, error: String(err) });
      }
    }
  };
  const runOnce = () => {
    if (stopped) return Promise.resolve();
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 30_000);
  timer.unref();
  return {
    runOnce,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
