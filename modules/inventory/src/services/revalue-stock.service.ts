/**
 * Revaluing after a back-dated move (decision 0012): a job per item and company replays the entries
 * dated from the move's date on, in chunks; each chunk is one transaction that appends value
 * corrections, adjusts the valuation and records its cursor and replay state in the job row, so a
 * stopped run resumes where it left off. The last chunk rewrites the FIFO layers. Never a repost.
 */
import { Decimal } from '@tenon/core';
import { type Database, type Executor, sql } from '@tenon/db';
import { fifoCheckpoint, replay } from '../domain/revalue.ts';
import { loadItems } from '../repositories/master-data.repository.ts';
import {
  appendCorrections,
  loadCheckpoint,
  loadEntries,
  loadJob,
  pendingRevaluations,
  revaluationJobs,
  saveJob,
  sumDiffs,
  writeLayers,
} from '../repositories/revaluation.repository.ts';
import { addValuation, lockValuation } from '../repositories/stock.repository.ts';

export const DEFAULT_CHUNK = 2000;

export type ChunkOutcome = 'more' | 'done' | 'gone' | 'busy';

/**
 * Takes the job's transaction-scoped advisory lock without waiting: false when another instance
 * (or another runner of this one) is working on the same job right now.
 */
async function claimJob(tx: Executor, schema: string, jobId: string): Promise<boolean> {
  const { rows } = await tx.run<{ ok: boolean }>(
    sql`SELECT pg_try_advisory_xact_lock(hashtextextended(${`inv_revaluation:${schema}:${jobId}`}, 0)) AS ok`,
  );
  return rows[0]?.ok === true;
}

/** One chunk of a job inside the caller's transaction. */
export async function revalueChunkIn(
  tx: Executor,
  schema: string,
  jobId: string,
  chunkSize = DEFAULT_CHUNK,
): Promise<ChunkOutcome> {
  const peek = await loadJob(tx, schema, jobId, false);
  if (peek?.status !== 'pending') return 'gone';
  // The valuation row first, as postings lock it, then the job row.
  await lockValuation(tx, schema, peek.itemId, peek.companyId);
  const job = await loadJob(tx, schema, jobId, true);
  if (job?.status !== 'pending') return 'gone';
  const item = (await loadItems(tx, schema, [job.itemId])).get(job.itemId)!;
  let state = job.state;
  if (!state) {
    const cp = await loadCheckpoint(tx, schema, job);
    state =
      item.valuationMethod === 'fifo'
        ? fifoCheckpoint(cp.layers, cp.onHand, job.fromDate)
        : { layers: [], quantity: cp.onHand.quantity.toFixed(), value: cp.onHand.value.toFixed() };
  }
  const entries = await loadEntries(tx, schema, job, chunkSize);
  const result = replay(state, entries, {
    method: item.valuationMethod,
    standardCost: item.standardCost,
  });
  await appendCorrections(tx, schema, job.id, job.corrections + 1, result.corrections);
  const diff = sumDiffs(result.corrections);
  if (!diff.isZero())
    await addValuation(tx, schema, {
      itemId: job.itemId,
      companyId: job.companyId,
      quantity: new Decimal(0),
      value: diff,
    });
  const last = entries.at(-1);
  const done = entries.length < chunkSize;
  if (done && item.valuationMethod === 'fifo') await writeLayers(tx, schema, job, result.state);
  await saveJob(tx, schema, {
    ...job,
    cursorDate: last?.postingDate ?? job.cursorDate,
    cursorSeq: last?.seq ?? job.cursorSeq,
    state: done ? null : result.state,
    entriesDone: job.entriesDone + entries.length,
    corrections: job.corrections + result.corrections.length,
    status: done ? 'done' : 'pending',
  });
  return done ? 'done' : 'more';
}

/**
 * Runs pending jobs (all, or the ones given) chunk by chunk, each chunk its own transaction.
 * `maxChunks` stops early (the jobs stay pending and resume on the next run).
 */
export async function runRevaluations(
  db: Database,
  schema: string,
  options: {
    jobs?: string[];
    chunkSize?: number;
    maxChunks?: number;
    /** Leave a job another runner is working on (the background worker); default: wait for it. */
    skipBusy?: boolean;
  } = {},
): Promise<{ chunks: number; finished: number; pending: number }> {
  const jobs = options.jobs ?? (await pendingRevaluations(db, schema));
  let chunks = 0;
  let finished = 0;
  let pending = 0;
  for (const id of jobs) {
    let outcome: ChunkOutcome = 'more';
    while (outcome === 'more' && chunks < (options.maxChunks ?? Number.POSITIVE_INFINITY)) {
      outcome = await db.transaction(async (tx) =>
        options.skipBusy && !(await claimJob(tx, schema, id))
          ? 'busy'
          : revalueChunkIn(tx, schema, id, options.chunkSize),
      );
      if (outcome !== 'busy') chunks++;
    }
    if (outcome === 'done') finished++;
    else if (outcome === 'more' || outcome === 'busy') pending++;
  }
  return { chunks, finished, pending };
}

/** Revaluation jobs with their progress (newest first, at most 200). */
export function listRevaluations(db: Executor, schema: string, status: 'pending' | 'done') {
  return revaluationJobs(db, schema, status);
}
