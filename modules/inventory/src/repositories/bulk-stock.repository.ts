/**
 * Multi-row SQL for posting many moves at once: one statement per table, rows passed as arrays and
 * spread with `unnest` (a handful of parameters whatever the batch size). Locking upserts take their
 * rows in array order, so callers pass keys sorted (the one lock order of every writer).
 */
import { type Executor, type RawBuilder, sql } from '@tenon/db';
import { NIL } from '../migrations.ts';
import { dec, type LedgerRow, orNil } from './stock.repository.ts';

const t = (schema: string, name: string) => sql.id(schema, name);

export async function lockStockRows(
  tx: Executor,
  schema: string,
  keys: { itemId: string; warehouseId: string }[],
) {
  const { rows } = await tx.run<{ item_id: string; warehouse_id: string; on_hand: string; reserved: string }>(
    sql`INSERT INTO ${t(schema, 'inv_stock')} AS s (item_id, warehouse_id)
        SELECT * FROM unnest(${keys.map((k) => k.itemId)}::uuid[], ${keys.map((k) => k.warehouseId)}::uuid[])
        ON CONFLICT (item_id, warehouse_id) DO UPDATE SET on_hand = s.on_hand
        RETURNING s.item_id, s.warehouse_id, s.on_hand::text AS on_hand, s.reserved::text AS reserved`,
  );
  return new Map(
    rows.map((r) => [
      `${r.item_id}|${r.warehouse_id}`,
      { onHand: dec(r.on_hand), reserved: dec(r.reserved) },
    ]),
  );
}

export type BalanceRowKey = {
  itemId: string;
  locationId: string;
  lotId: string | null;
  serialId: string | null;
  warehouseId: string;
};

export async function lockBalanceRows(tx: Executor, schema: string, keys: BalanceRowKey[]) {
  const { rows } = await tx.run<{
    item_id: string;
    location_id: string;
    lot_id: string;
    serial_id: string;
    on_hand: string;
  }>(
    sql`INSERT INTO ${t(schema, 'inv_balance')} AS b (item_id, location_id, lot_id, serial_id, warehouse_id)
        SELECT * FROM unnest(${keys.map((k) => k.itemId)}::uuid[], ${keys.map((k) => k.locationId)}::uuid[],
          ${keys.map((k) => orNil(k.lotId))}::uuid[], ${keys.map((k) => orNil(k.serialId))}::uuid[],
          ${keys.map((k) => k.warehouseId)}::uuid[])
        ON CONFLICT (item_id, location_id, lot_id, serial_id) DO UPDATE SET on_hand = b.on_hand
        RETURNING b.item_id, b.location_id, b.lot_id, b.serial_id, b.on_hand::text AS on_hand`,
  );
  return new Map(
    rows.map((r) => [`${r.item_id}|${r.location_id}|${r.lot_id}|${r.serial_id}`, dec(r.on_hand)]),
  );
}

export async function addBalanceRows(
  tx: Executor,
  schema: string,
  rows: { key: BalanceRowKey; delta: string }[],
): Promise<void> {
  await tx.run(sql`UPDATE ${t(schema, 'inv_balance')} AS b SET on_hand = b.on_hand + v.d
    FROM unnest(${rows.map((r) => r.key.itemId)}::uuid[], ${rows.map((r) => r.key.locationId)}::uuid[],
      ${rows.map((r) => orNil(r.key.lotId))}::uuid[], ${rows.map((r) => orNil(r.key.serialId))}::uuid[],
      ${rows.map((r) => r.delta)}::numeric[]) AS v(item_id, location_id, lot_id, serial_id, d)
    WHERE b.item_id = v.item_id AND b.location_id = v.location_id AND b.lot_id = v.lot_id AND b.serial_id = v.serial_id`);
}

/**
 * Balances and stock totals of one posting in one statement (their rows are already locked; a
 * data-modifying WITH always runs to completion). One row per key: callers sum their deltas.
 */
export async function addBalancesAndStock(
  tx: Executor,
  schema: string,
  balances: { key: BalanceRowKey; delta: string }[],
  stock: { itemId: string; warehouseId: string; onHand: string; reserved: string }[],
): Promise<void> {
  await tx.run(sql`WITH b AS (
      UPDATE ${t(schema, 'inv_balance')} AS b SET on_hand = b.on_hand + v.d
      FROM unnest(${balances.map((r) => r.key.itemId)}::uuid[], ${balances.map((r) => r.key.locationId)}::uuid[],
        ${balances.map((r) => orNil(r.key.lotId))}::uuid[], ${balances.map((r) => orNil(r.key.serialId))}::uuid[],
        ${balances.map((r) => r.delta)}::numeric[]) AS v(item_id, location_id, lot_id, serial_id, d)
      WHERE b.item_id = v.item_id AND b.location_id = v.location_id AND b.lot_id = v.lot_id AND b.serial_id = v.serial_id
      RETURNING 1)
    UPDATE ${t(schema, 'inv_stock')} AS s SET on_hand = s.on_hand + v.d, reserved = s.reserved + v.r
    FROM unnest(${stock.map((r) => r.itemId)}::uuid[], ${stock.map((r) => r.warehouseId)}::uuid[],
      ${stock.map((r) => r.onHand)}::numeric[], ${stock.map((r) => r.reserved)}::numeric[]) AS v(item_id, warehouse_id, d, r)
    WHERE s.item_id = v.item_id AND s.warehouse_id = v.warehouse_id`);
}

export type NewLayer = {
  itemId: string;
  companyId: string;
  moveId: string;
  postingDate: string;
  quantity: string;
  remaining: string;
  remainingValue: string;
  unitCost: string;
};

export function ledgerInsert(schema: string, rows: LedgerRow[]) {
  const col = <T>(f: (r: LedgerRow) => T) => rows.map(f);
  return sql`INSERT INTO ${t(schema, 'inv_ledger')} (move_id, line_no, move_type, item_id, warehouse_id,
      company_id, location_id, lot_id, serial_id, quantity, value, posting_date, source_type, source_id)
    SELECT * FROM unnest(${col((r) => r.moveId)}::uuid[], ${col((r) => r.lineNo)}::int[], ${col((r) => r.moveType)}::text[],
      ${col((r) => r.itemId)}::uuid[], ${col((r) => r.warehouseId)}::uuid[], ${col((r) => r.companyId)}::uuid[],
      ${col((r) => r.locationId)}::uuid[], ${col((r) => orNil(r.lotId))}::uuid[], ${col((r) => orNil(r.serialId))}::uuid[],
      ${col((r) => r.quantity.toFixed())}::numeric[], ${col((r) => r.value.toFixed())}::numeric[],
      ${col((r) => r.postingDate)}::date[], ${col((r) => r.sourceType)}::text[], ${col((r) => r.sourceId)}::text[])`;
}

export function revaluationUpsert(
  schema: string,
  rows: { id: string; itemId: string; companyId: string; fromDate: string }[],
  /** A further condition (a statement that enqueues only when its earlier parts wrote). */
  gate: RawBuilder<unknown> = sql`true`,
) {
  return sql`INSERT INTO ${t(schema, 'inv_revaluation')} AS j (id, item_id, company_id, from_date)
    SELECT v.id, v.item_id, v.company_id, v.from_date
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.itemId)}::uuid[],
      ${rows.map((r) => r.companyId)}::uuid[], ${rows.map((r) => r.fromDate)}::date[]) AS v(id, item_id, company_id, from_date)
    WHERE EXISTS (SELECT 1 FROM ${t(schema, 'inv_ledger')} l WHERE l.item_id = v.item_id
                  AND l.company_id = v.company_id AND l.posting_date > v.from_date)
      AND ${gate}
    ON CONFLICT (item_id, company_id) WHERE status = 'pending' DO UPDATE SET
      from_date = least(j.from_date, excluded.from_date),
      cursor_date = CASE WHEN excluded.from_date < j.cursor_date THEN NULL ELSE j.cursor_date END,
      cursor_seq = CASE WHEN excluded.from_date < j.cursor_date THEN NULL ELSE j.cursor_seq END,
      state = CASE WHEN excluded.from_date < j.cursor_date THEN NULL ELSE j.state END,
      updated_at = now()
    RETURNING j.id`;
}

export { NIL };
