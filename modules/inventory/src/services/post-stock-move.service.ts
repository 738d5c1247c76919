/**
 * Posting a stock move: one transaction that claims the idempotency key, checks the lines, locks
 * the balance rows in key order, values the stock (FIFO layers or moving average per item and
 * company), appends the ledger, updates balances and writes the outbox event.
 */
import { AppError, newId } from '@tenon/core';
import { type Database, type Executor, sql } from '@tenon/db';
import type { MoveType } from '../domain/plan-move.ts';
import { InventoryErrors } from '../errors.ts';
import { rememberFacts } from '../repositories/facts-cache.ts';
import { parsePostingFacts } from '../repositories/master-data.repository.ts';
import { claimWithFacts } from '../repositories/posting.repository.ts';
import { writePostings } from './apply-posting.ts';
import { postCombined } from './post-moves-combined.ts';
import { postReceiptAtOnce } from './post-receipt-at-once.ts';
import { checkIds, factKeys, preparePosting } from './prepare-posting.ts';
import { DEFAULT_CHUNK, revalueChunkIn, runRevaluations } from './revalue-stock.service.ts';

export { checkIds, inBaseUnits } from './prepare-posting.ts';

export type PostMoveLine = {
  item: string;
  fromLocation?: string | null;
  toLocation?: string | null;
  lot?: string | null;
  serial?: string | null;
  /** Quantity as a decimal string, in `uom` (default: the item's base unit). */
  quantity: string;
  /** The unit the quantity and unit cost are entered in; converted to the base unit at posting. */
  uom?: string | null;
  unitCost?: string | null;
  /** An active reservation this outgoing line fulfils. */
  reservation?: string | null;
};

export type PostMoveInput = {
  moveId?: string;
  idempotencyKey: string;
  moveType: MoveType;
  warehouse: string;
  postingDate: string;
  sourceType?: string | null;
  sourceId?: string | null;
  lines: PostMoveLine[];
  /**
   * Entries re-costed inside the posting's own transaction when it is back-dated (default
   * DEFAULT_CHUNK); 0 leaves the whole revaluation to `runRevaluations`.
   */
  inlineRevaluation?: number;
};

/** `revaluations`: jobs of this back-dated posting still pending after the inline chunk. */
export type PostMoveResult = { moveId: string; replayed: boolean; revaluations?: string[] };

export async function postStockMoveIn(
  tx: Executor,
  schema: string,
  input: PostMoveInput,
): Promise<PostMoveResult> {
  checkIds(input);
  const moveId = input.moveId ?? newId();
  const keys = factKeys(input);
  // The key claim and the master data in one statement.
  const claim = await claimWithFacts(tx, schema, {
    claims: [{ moveId, key: input.idempotencyKey, moveType: input.moveType }],
    ...keys,
    warehouses: [input.warehouse],
  });
  if (!claim.claimed.has(input.idempotencyKey)) return replayOf(tx, schema, input);
  const facts = parsePostingFacts(claim.rows, keys);
  rememberFacts(schema, facts);
  const jobs = await writePostings(tx, schema, [await preparePosting(tx, schema, { input, moveId, facts })]);
  // The first revaluation chunk of a back-dated posting runs in its transaction.
  const revaluations = await revalueInline(tx, schema, jobs, input.inlineRevaluation ?? DEFAULT_CHUNK);
  return { moveId, replayed: false, ...(revaluations.length > 0 ? { revaluations } : {}) };
}

/** The first posting of a replayed key; a 409 when the replay is not the same move. */
export async function replayOf(tx: Executor, schema: string, input: PostMoveInput): Promise<PostMoveResult> {
  const { rows } = await tx.run<{ move_id: string; move_type: string }>(
    sql`SELECT move_id, move_type FROM ${sql.id(schema, 'inv_posting')} WHERE idempotency_key = ${input.idempotencyKey}`,
  );
  const prior = rows[0];
  if (!prior || prior.move_type !== input.moveType || (input.moveId && input.moveId !== prior.move_id)) {
    throw new AppError(InventoryErrors.INVENTORY_IDEMPOTENCY_CONFLICT, { key: input.idempotencyKey });
  }
  return { moveId: prior.move_id, replayed: true };
}

/** Entries dated after this posting are re-costed: each job's first chunk runs right here. */
async function revalueInline(tx: Executor, schema: string, jobs: string[], chunk: number): Promise<string[]> {
  const pending: string[] = [];
  for (const job of jobs)
    if (chunk === 0 || (await revalueChunkIn(tx, schema, job, chunk)) === 'more') pending.push(job);
  return pending;
}

/** Entries per chunk when a back-dated posting's revaluation goes on after its commit. */
export const CONTINUED_CHUNK = 10_000;

/** Posts in its own transaction (retried after deadlocks and serialization failures). */
export async function postStockMove(
  db: Database,
  schema: string,
  input: PostMoveInput,
): Promise<PostMoveResult> {
  // Combined with the postings waiting beside it (decision 0069), else alone: a receipt of
  // untracked items with their costs in one statement when this process knows its master data
  // (decision 0018; its revaluation, if back-dated, runs wholly after the commit), or the full path.
  const result = await postCombined(
    db,
    schema,
    input,
    async (one) =>
      (await postReceiptAtOnce(db, schema, one)) ?? db.transaction((tx) => postStockMoveIn(tx, schema, one)),
  );
  // A long revaluation goes on after the commit in larger chunks (each chunk saves and reloads the
  // replay state, so fewer chunks cost less; resumable if stopped). Decision 0017.
  if (result.revaluations && input.inlineRevaluation !== 0)
    await runRevaluations(db, schema, { jobs: result.revaluations, chunkSize: CONTINUED_CHUNK });
  return result;
}
