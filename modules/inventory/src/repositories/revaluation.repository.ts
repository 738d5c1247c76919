/**
 * SQL of revaluation jobs: the job row (one pending per item and company), the checkpoint before a
 * date, the later entries in date order, the corrections appended to the ledger and the layers
 * rewritten at the end.
 */
import { Decimal } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import type { ReplayEntry, ReplayState } from '../domain/revalue.ts';
import { dec } from './stock.repository.ts';

const t = (schema: string, name: string) => sql.id(schema, name);

export type RevaluationJob = {
  id: string;
  itemId: string;
  companyId: string;
  fromDate: string;
  cursorDate: string | null;
  cursorSeq: string | null;
  state: ReplayState | null;
  entriesDone: number;
  corrections: number;
  status: 'pending' | 'done';
};

export async function pendingRevaluations(db: Executor, schema: string): Promise<string[]> {
  const { rows } = await db.run<{ id: string }>(
    sql`SELECT id FROM ${t(schema, 'inv_revaluation')} WHERE status = 'pending' ORDER BY created_at, id`,
  );
  return rows.map((r) => r.id);
}

export async function revaluationJobs(db: Executor, schema: string, status: string) {
  const { rows } = await db.run<Record<string, unknown>>(
    sql`SELECT id, item_id AS item, company_id AS company, from_date::text AS "fromDate",
          cursor_date::text AS "cursorDate", entries_done AS "entriesDone", corrections, status,
          updated_at AS "updatedAt"
        FROM ${t(schema, 'inv_revaluation')} WHERE status = ${status} ORDER BY created_at DESC LIMIT 200`,
  );
  return rows;
}

export async function loadJob(
  tx: Executor,
  schema: string,
  id: string,
  lock: boolean,
): Promise<RevaluationJob | null> {
  const { rows } = await tx.run<Record<string, unknown>>(
    sql`SELECT id, item_id, company_id, from_date::text AS from_date, cursor_date::text AS cursor_date,
          cursor_seq::text AS cursor_seq, state, entries_done, corrections, status
        FROM ${t(schema, 'inv_revaluation')} WHERE id = ${id}::uuid ${lock ? sql`FOR UPDATE` : sql``}`,
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id as string,
    itemId: r.item_id as string,
    companyId: r.company_id as string,
    fromDate: r.from_date as string,
    cursorDate: (r.cursor_date as string | null) ?? null,
    cursorSeq: (r.cursor_seq as string | null) ?? null,
    state: (typeof r.state === 'string' ? JSON.parse(r.state) : r.state) as ReplayState | null,
    entriesDone: Number(r.entries_done),
    corrections: Number(r.corrections),
    status: r.status as RevaluationJob['status'],
  };
}

export async function saveJob(tx: Executor, schema: string, job: RevaluationJob): Promise<void> {
  await tx.run(sql`UPDATE ${t(schema, 'inv_revaluation')} SET cursor_date = ${job.cursorDate}::date,
    cursor_seq = ${job.cursorSeq}::bigint, state = ${job.state === null ? null : JSON.stringify(job.state)}::jsonb,
    entries_done = ${job.entriesDone}, corrections = ${job.corrections}, status = ${job.status}, updated_at = now()
    WHERE id = ${job.id}::uuid`);
}

/** Stock before `fromDate` from the ledger, and the incoming layers dated before it in date order. */
export async function loadCheckpoint(tx: Executor, schema: string, job: RevaluationJob) {
  const { rows: sums } = await tx.run<{ q: string; v: string }>(
    sql`SELECT coalesce(sum(quantity), 0)::text AS q, coalesce(sum(value), 0)::text AS v
        FROM ${t(schema, 'inv_ledger')} WHERE item_id = ${job.itemId}::uuid AND company_id = ${job.companyId}::uuid
          AND posting_date < ${job.fromDate}::date`,
  );
  const { rows } = await tx.run<{
    seq: string;
    move_id: string;
    posting_date: string;
    quantity: string;
    unit_cost: string;
  }>(
    sql`SELECT seq::text AS seq, move_id, posting_date::text AS posting_date, quantity::text AS quantity,
          unit_cost::text AS unit_cost
        FROM ${t(schema, 'inv_layer')} WHERE item_id = ${job.itemId}::uuid AND company_id = ${job.companyId}::uuid
          AND quantity > 0 AND posting_date < ${job.fromDate}::date
        ORDER BY posting_date, seq::bigint`,
  );
  return {
    onHand: { quantity: dec(sums[0]!.q), value: dec(sums[0]!.v) },
    layers: rows.map((r) => ({
      seq: r.seq,
      moveId: r.move_id,
      postingDate: r.posting_date,
      quantity: dec(r.quantity),
      unitCost: dec(r.unit_cost),
    })),
  };
}

/** The next entries after the cursor, in (posting date, seq) order, with their corrections so far. */
export async function loadEntries(
  tx: Executor,
  schema: string,
  job: RevaluationJob,
  limit: number,
): Promise<ReplayEntry[]> {
  const { rows } = await tx.run<{
    seq: string;
    move_id: string;
    move_type: string;
    reverses: string | null;
    posting_date: string;
    quantity: string;
    value: string;
    neutral: boolean;
  }>(
    sql`SELECT l.seq::text AS seq, l.move_id, l.move_type, o.move_id AS reverses, l.posting_date::text AS posting_date,
          l.quantity::text AS quantity,
          (l.value + coalesce((SELECT sum(r.value) FROM ${t(schema, 'inv_ledger')} r
            WHERE r.move_type = 'revaluation' AND r.source_id = l.seq::text), 0))::text AS value,
          (l.move_type = 'transfer' OR coalesce(o.move_type = 'transfer', false)) AS neutral
        FROM ${t(schema, 'inv_ledger')} l
        LEFT JOIN ${t(schema, 'inv_posting')} p ON p.move_id = l.move_id
        LEFT JOIN ${t(schema, 'inv_posting')} o ON o.move_id = p.reverses
        WHERE l.item_id = ${job.itemId}::uuid AND l.company_id = ${job.companyId}::uuid AND l.move_type <> 'revaluation'
          AND ((${job.cursorDate}::date IS NULL AND l.posting_date >= ${job.fromDate}::date)
               OR (l.posting_date, l.seq) > (${job.cursorDate}::date, ${job.cursorSeq}::bigint))
        ORDER BY l.posting_date, l.seq LIMIT ${limit}`,
  );
  return rows.map((r) => ({
    seq: r.seq,
    moveId: r.move_id,
    moveType: r.move_type,
    reverses: r.reverses,
    postingDate: r.posting_date,
    quantity: dec(r.quantity),
    value: dec(r.value),
    neutral: r.neutral === true || String(r.neutral) === 't',
  }));
}

/** Appends one correction row per re-costed entry (quantity 0, same keys and date as the entry). */
export async function appendCorrections(
  tx: Executor,
  schema: string,
  jobId: string,
  firstLine: number,
  corrections: { seq: string; diff: Decimal }[],
): Promise<void> {
  if (corrections.length === 0) return;
  const values = corrections.map(
    (c, i) => sql`(${c.seq}::bigint, ${c.diff.toFixed()}::numeric, ${firstLine + i}::int)`,
  );
  await tx.run(sql`INSERT INTO ${t(schema, 'inv_ledger')} (move_id, line_no, move_type, item_id, warehouse_id,
      company_id, location_id, lot_id, serial_id, quantity, value, posting_date, source_type, source_id)
    SELECT ${jobId}::uuid, c.line_no, 'revaluation', l.item_id, l.warehouse_id, l.company_id, l.location_id, l.lot_id,
      l.serial_id, 0, c.diff, l.posting_date, 'inv_ledger', l.seq::text
    FROM (VALUES ${sql.join(values)}) AS c(seq, diff, line_no) JOIN ${t(schema, 'inv_ledger')} l ON l.seq = c.seq
    ORDER BY c.line_no`);
}

/** The replay's open layers become the item's layers: known rows updated, the rest inserted. */
export async function writeLayers(tx: Executor, schema: string, job: RevaluationJob, state: ReplayState) {
  const where = sql`item_id = ${job.itemId}::uuid AND company_id = ${job.companyId}::uuid`;
  await tx.run(sql`UPDATE ${t(schema, 'inv_layer')} SET remaining = 0, remaining_value = 0
    WHERE ${where} AND (remaining <> 0 OR remaining_value <> 0)`);
  const { rows } = await tx.run<{ seq: string; move_id: string }>(
    sql`SELECT seq::text AS seq, move_id FROM ${t(schema, 'inv_layer')}
        WHERE ${where} AND quantity > 0 AND posting_date >= ${job.fromDate}::date ORDER BY seq::bigint`,
  );
  const used = new Set(state.layers.map((l) => l.seq).filter((s): s is string => s !== null));
  // Free layer rows per move, oldest first (a move may have several lines of the item).
  const free = new Map<string, string[]>();
  for (const r of rows) if (!used.has(r.seq)) free.set(r.move_id, [...(free.get(r.move_id) ?? []), r.seq]);
  const updates: { seq: string; remaining: string; value: string }[] = [];
  const inserts: typeof state.layers = [];
  for (const l of state.layers) {
    if (dec(l.remaining).isZero() && dec(l.remainingValue).isZero()) continue;
    let seq = l.seq;
    if (seq === null && dec(l.remaining).gt(0)) {
      seq = free.get(l.moveId)?.shift() ?? null;
    }
    if (seq === null) inserts.push(l);
    else updates.push({ seq, remaining: l.remaining, value: l.remainingValue });
  }
  if (updates.length > 0) {
    const values = updates.map((u) => sql`(${u.seq}::bigint, ${u.remaining}::numeric, ${u.value}::numeric)`);
    await tx.run(sql`UPDATE ${t(schema, 'inv_layer')} AS y SET remaining = v.r, remaining_value = v.rv
      FROM (VALUES ${sql.join(values)}) AS v(seq, r, rv) WHERE y.seq = v.seq`);
  }
  if (inserts.length > 0) {
    const values = inserts.map(
      (
        l,
      ) => sql`(${job.itemId}::uuid, ${job.companyId}::uuid, ${l.moveId || job.id}::uuid, ${l.postingDate}::date,
        ${l.remaining}::numeric, ${l.remaining}::numeric, ${l.remainingValue}::numeric, ${l.unitCost}::numeric)`,
    );
    await tx.run(sql`INSERT INTO ${t(schema, 'inv_layer')}
      (item_id, company_id, move_id, posting_date, quantity, remaining, remaining_value, unit_cost)
      VALUES ${sql.join(values)}`);
  }
}

export const sumDiffs = (c: { diff: Decimal }[]) => c.reduce((s, x) => s.plus(x.diff), new Decimal(0));
