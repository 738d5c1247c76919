/**
 * Reservations of one hot item, combined (decision 0019): outside a transaction, the untracked
 * reservations of one (item, warehouse) waiting in this process are sent together as one statement
 * while the previous one is in flight, as a database batches commits. The statement locks the
 * stock row (`FOR UPDATE`: under READ COMMITTED it returns the newest committed version), accepts
 * the requests in arrival order while their running total fits what is available, adds their total
 * to `reserved` and inserts their rows. Nothing is oversold: the total is bounded by the locked row.
 * A request left out is refused when it alone exceeds what is left, else decided by the full path.
 */
import { AppError, Decimal, newId } from '@tenon/core';
import { type Database, sql } from '@tenon/db';
import { InventoryErrors } from '../errors.ts';
import { NIL } from '../migrations.ts';
import { runPrepared } from '../repositories/prepared.ts';
import { dec } from '../repositories/stock.repository.ts';
import type { ReserveInput, ReserveResult } from './reserve-stock.service.ts';

type Request = {
  input: ReserveInput;
  quantity: Decimal;
  id: string;
  done: (r: ReserveResult | null, err?: unknown) => void;
};
type Queue = { running: boolean; waiting: Request[] };

/** Requests per statement at most. */
const BATCH = 200;
const queues = new WeakMap<Database, Map<string, Queue>>();

/** Reserves through the combined statement; null when the full path must decide. */
export function reserveCombined(
  db: Database,
  schema: string,
  input: ReserveInput,
  quantity: Decimal,
): Promise<ReserveResult | null> {
  let byKey = queues.get(db);
  if (!byKey) {
    byKey = new Map();
    queues.set(db, byKey);
  }
  const key = `${schema}|${input.item}|${input.warehouse}`;
  let queue = byKey.get(key);
  if (!queue) {
    queue = { running: false, waiting: [] };
    byKey.set(key, queue);
  }
  const q = queue;
  const map = byKey;
  return new Promise((resolve, reject) => {
    q.waiting.push({
      input,
      quantity,
      id: newId(),
      done: (r, err) => (err ? reject(err) : resolve(r)),
    });
    if (!q.running) void drain(db, schema, key, q, map);
  });
}

async function drain(db: Database, schema: string, key: string, q: Queue, map: Map<string, Queue>) {
  q.running = true;
  try {
    while (q.waiting.length > 0) {
      const batch = q.waiting.splice(0, BATCH);
      try {
        await reserveBatch(db, schema, batch);
      } catch (err) {
        for (const r of batch) r.done(null, err);
      }
    }
  } finally {
    q.running = false;
    if (q.waiting.length === 0) map.delete(key);
  }
}

async function reserveBatch(db: Database, schema: string, batch: Request[]) {
  const { item, warehouse } = batch[0]!.input;
  const { rows } = await runPrepared<{ available: string | null; ids: string[] }>(
    db,
    schema,
    sql`WITH req AS (
        SELECT * FROM unnest(${batch.map((r) => r.id)}::uuid[], ${batch.map((r) => r.quantity.toFixed())}::numeric[],
          ${batch.map((r) => r.input.sourceType)}::text[], ${batch.map((r) => r.input.sourceId)}::text[])
          WITH ORDINALITY AS r(id, q, source_type, source_id, n)),
      k AS (SELECT s.on_hand - s.reserved AS available FROM ${sql.id(schema, 'inv_stock')} s
        WHERE s.item_id = ${item}::uuid AND s.warehouse_id = ${warehouse}::uuid
          AND EXISTS (SELECT 1 FROM ${sql.id(schema, 'item')} i WHERE i.id = ${item}::uuid AND i.tracking = 'none')
        FOR UPDATE),
      acc AS (SELECT c.id, c.q, c.source_type, c.source_id
        FROM (SELECT req.*, sum(req.q) OVER (ORDER BY req.n) AS running FROM req) c, k
        WHERE c.running <= k.available),
      u AS (UPDATE ${sql.id(schema, 'inv_stock')} s SET reserved = s.reserved + (SELECT sum(q) FROM acc)
        WHERE s.item_id = ${item}::uuid AND s.warehouse_id = ${warehouse}::uuid AND EXISTS (SELECT 1 FROM acc)
        RETURNING 1),
      ins AS (INSERT INTO ${sql.id(schema, 'inv_reservation')}
          (id, item_id, warehouse_id, lot_id, serial_id, quantity, source_type, source_id)
        SELECT acc.id, ${item}::uuid, ${warehouse}::uuid, ${NIL}::uuid, ${NIL}::uuid, acc.q, acc.source_type, acc.source_id
        FROM acc WHERE (SELECT count(*) FROM u) > 0
        RETURNING id)
    SELECT (SELECT available::text FROM k) AS available,
      coalesce((SELECT array_agg(id::text) FROM ins), '{}') AS ids`,
  );
  const row = rows[0]!;
  const accepted = new Set(row.ids);
  // What is left after the accepted ones (null: no stock row or a tracked item: the full path).
  let left = row.available === null ? null : dec(row.available);
  for (const r of batch) if (accepted.has(r.id) && left) left = left.minus(r.quantity);
  for (const r of batch) {
    const q = r.quantity.toFixed();
    if (accepted.has(r.id))
      r.done({
        reservations: [{ id: r.id, lot: null, serial: null, quantity: q }],
        reserved: q,
        backorder: '0',
      });
    else if (left === null || r.input.allowPartial || r.quantity.lte(left)) r.done(null);
    else
      r.done(
        null,
        new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_AVAILABLE, {
          item: r.input.item,
          available: Decimal.max(left, 0).toFixed(),
          requested: q,
        }),
      );
  }
}
