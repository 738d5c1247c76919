/**
 * Bulk import of receipts and issues: moves are posted in batches, each batch one transaction of a
 * few statements (post-bulk-batch.ts). A refused move refuses its whole batch; the import stops,
 * earlier batches stay posted and idempotency keys make a re-run skip them. Moves are applied in
 * posting-date order; a batch dated before existing entries queues their revaluation. On
 * PostgreSQL a large import runs in two lanes that share no stock row (domain/bulk-lanes.ts), each
 * with its own batches in flight, so that both cores work. Decision 0013 and its addenda.
 */
import { AppError } from '@tenon/core';
import { type Database, sql } from '@tenon/db';
import { splitLanes } from '../domain/bulk-lanes.ts';
import { InventoryErrors } from '../errors.ts';
import { type BulkEntry, type BulkMove, postBulkBatch } from './post-bulk-batch.ts';
import { runRevaluations } from './revalue-stock.service.ts';

export type { BulkMove };
export type BulkResult = { posted: number; replayed: number; batches: number; revaluations: number };

const MAX_BATCH = 5000;
const DEFAULT_BATCH = 5000;
/** An import is split into lanes when each would have at least this many batches. */
const MIN_BATCHES_PER_LANE = 2;
/** Moves imported in one call after which the ledger's planner statistics are refreshed. */
const ANALYZE_AFTER = 20_000;

export async function bulkPostMoves(
  db: Database,
  schema: string,
  input: { moves: BulkMove[]; batchSize?: number; revalue?: boolean; lanes?: number },
): Promise<BulkResult> {
  const size = Math.min(Math.max(input.batchSize ?? DEFAULT_BATCH, 1), MAX_BATCH);
  input.moves.forEach((m, i) => {
    if (m.moveType !== 'receipt' && m.moveType !== 'issue')
      throw new AppError(InventoryErrors.INVENTORY_BAD_INPUT, {
        field: `moves.${i}.moveType`,
        reason: 'must be receipt or issue',
      });
    m.lines?.forEach((l, n) => {
      if (typeof l !== 'object' || l === null || Array.isArray(l))
        throw new AppError(InventoryErrors.INVENTORY_BAD_INPUT, {
          field: `moves.${i}.lines.${n}`,
          reason: 'must be a line object',
        });
    });
    if (m.lines?.some((l) => l.reservation))
      throw new AppError(InventoryErrors.INVENTORY_BAD_INPUT, {
        field: `moves.${i}.lines`,
        reason: 'a bulk issue does not consume reservations',
      });
  });
  const ordered = input.moves
    .map((m, i) => ({ m, i }))
    .sort((a, b) =>
      a.m.postingDate < b.m.postingDate ? -1 : a.m.postingDate > b.m.postingDate ? 1 : a.i - b.i,
    );
  // Lanes that share no stock row write at the same time on PostgreSQL (PGlite has one connection).
  const lanes = splitLanes(
    ordered,
    input.lanes ?? (db.kind === 'postgres' && ordered.length >= MIN_BATCHES_PER_LANE * 2 * size ? 2 : 1),
  );
  const stop: LaneStop = { error: null };
  const done = await Promise.all(lanes.map((lane) => postLane(db, schema, lane, size, stop)));
  if (stop.error) throw stop.error;
  const result: BulkResult = { posted: 0, replayed: 0, batches: 0, revaluations: 0 };
  const jobs: string[] = [];
  for (const r of done) {
    result.posted += r.posted;
    result.replayed += r.replayed;
    result.batches += r.batches;
    jobs.push(...r.jobs);
  }
  // A large import changes the ledger's shape at once: refresh its statistics now rather than when
  // autovacuum gets to it, when the import at least doubled the ledger since they were taken (the
  // planner scales row counts to the table's current size by itself; an ANALYZE costs about a
  // second whatever the size, too much to pay on every slice of an import made in slices).
  if (result.posted >= ANALYZE_AFTER && (await ledgerRowsAtLastAnalyze(db, schema)) <= result.posted)
    await db.run(sql`ANALYZE ${sql.id(schema, 'inv_ledger')}, ${sql.id(schema, 'inv_layer')}`);
  const unique = [...new Set(jobs)];
  result.revaluations = unique.length;
  if (unique.length > 0 && input.revalue !== false) await runRevaluations(db, schema, { jobs: unique });
  return result;
}

/** The first error of any lane; the other lanes start no further batch once it is set. */
type LaneStop = { error: unknown };
type LaneResult = { posted: number; replayed: number; batches: number; jobs: string[] };

/**
 * One lane's batches in turn, two in flight: the next one claims its keys, reads master data and
 * plans while the previous one writes, and locks its rows only once the previous one has committed
 * (it rolls back if that one failed). It holds no row lock while it waits; batches sharing a key
 * run in turn.
 */
async function postLane(
  db: Database,
  schema: string,
  ordered: BulkEntry[],
  size: number,
  stop: LaneStop,
): Promise<LaneResult> {
  const result: LaneResult = { posted: 0, replayed: 0, batches: 0, jobs: [] };
  type InFlight = { keys: Set<string>; size: number; done: Promise<{ posted: number; jobs: string[] }> };
  const collect = async (f: InFlight) => {
    const r = await f.done;
    result.posted += r.posted;
    result.replayed += f.size - r.posted;
    result.batches++;
    result.jobs.push(...r.jobs);
  };
  let previous: InFlight | null = null;
  try {
    for (let start = 0; start < ordered.length && !stop.error; start += size) {
      const batch = ordered.slice(start, start + size);
      const keys = new Set(batch.map((b) => b.m.idempotencyKey));
      if (previous && batch.some((b) => previous!.keys.has(b.m.idempotencyKey))) {
        await collect(previous);
        previous = null;
      }
      const after = previous?.done ?? null;
      const done: InFlight['done'] = db.transaction((tx) =>
        postBulkBatch(tx, schema, batch, after, () => stop.error !== null),
      );
      done.catch(() => {}); // collected below, after the batch before it
      if (previous)
        await collect(previous).catch(async (err) => {
          await done.catch(() => {});
          throw err;
        });
      previous = { keys, size: batch.length, done };
    }
    if (previous) await collect(previous);
  } catch (err) {
    stop.error ??= err;
  }
  return result;
}

/** The ledger's row count when its statistics were last taken (0 when never). */
async function ledgerRowsAtLastAnalyze(db: Database, schema: string): Promise<number> {
  const { rows } = await db.run<{ n: string }>(
    sql`SELECT greatest(c.reltuples, 0)::bigint::text AS n FROM pg_class c
        JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = ${schema} AND c.relname = 'inv_ledger'`,
  );
  return Number(rows[0]?.n ?? 0);
}
