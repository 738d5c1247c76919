/**
 * SQL of the stock ledger, balances, valuation and layers. Rows are locked in a fixed key order
 * (stock rows, then balances, then valuation) by every writer, so postings never deadlock.
 */
import { Decimal } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import { NIL } from '../migrations.ts';

const t = (schema: string, name: string) => sql.id(schema, name);
export const dec = (text: unknown) => new Decimal(String(text));
export const orNil = (id: string | null) => id ?? NIL;

export type StockKey = { itemId: string; warehouseId: string };
export type BalanceKey = {
  itemId: string;
  locationId: string;
  lotId: string | null;
  serialId: string | null;
};

export async function lockStock(tx: Executor, schema: string, keys: StockKey[]) {
  const sorted = [...new Map(keys.map((k) => [`${k.itemId}|${k.warehouseId}`, k])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, k]) => k);
  const out = new Map<string, { onHand: Decimal; reserved: Decimal }>();
  for (const k of sorted) {
    // One statement creates the row if needed and locks it (ON CONFLICT DO UPDATE takes the row lock).
    const { rows } = await tx.run<{ on_hand: string; reserved: string }>(
      sql`INSERT INTO ${t(schema, 'inv_stock')} AS s (item_id, warehouse_id) VALUES (${k.itemId}, ${k.warehouseId})
          ON CONFLICT (item_id, warehouse_id) DO UPDATE SET on_hand = s.on_hand RETURNING s.on_hand, s.reserved`,
    );
    out.set(`${k.itemId}|${k.warehouseId}`, {
      onHand: dec(rows[0]!.on_hand),
      reserved: dec(rows[0]!.reserved),
    });
  }
  return out;
}

export const balanceKey = (k: BalanceKey) =>
  `${k.itemId}|${k.locationId}|${orNil(k.lotId)}|${orNil(k.serialId)}`;

export async function lockBalances(
  tx: Executor,
  schema: string,
  keys: (BalanceKey & { warehouseId: string })[],
): Promise<Map<string, Decimal>> {
  const out = new Map<string, Decimal>();
  for (const k of keys) {
    const { rows } = await tx.run<{ on_hand: string }>(
      sql`INSERT INTO ${t(schema, 'inv_balance')} AS b (item_id, location_id, lot_id, serial_id, warehouse_id)
          VALUES (${k.itemId}, ${k.locationId}, ${orNil(k.lotId)}, ${orNil(k.serialId)}, ${k.warehouseId})
          ON CONFLICT (item_id, location_id, lot_id, serial_id) DO UPDATE SET on_hand = b.on_hand RETURNING b.on_hand`,
    );
    out.set(balanceKey(k), dec(rows[0]!.on_hand));
  }
  return out;
}

export async function addStock(
  tx: Executor,
  schema: string,
  k: StockKey,
  onHand: Decimal,
  reserved: Decimal,
) {
  await tx.run(sql`UPDATE ${t(schema, 'inv_stock')}
    SET on_hand = on_hand + ${onHand.toFixed()}::numeric, reserved = reserved + ${reserved.toFixed()}::numeric
    WHERE item_id = ${k.itemId} AND warehouse_id = ${k.warehouseId}`);
}

export async function lockValuation(tx: Executor, schema: string, itemId: string, companyId: string) {
  const { rows } = await tx.run<{ quantity: string; value: string }>(
    sql`INSERT INTO ${t(schema, 'inv_valuation')} AS v (item_id, company_id) VALUES (${itemId}, ${companyId})
        ON CONFLICT (item_id, company_id) DO UPDATE SET quantity = v.quantity RETURNING v.quantity, v.value`,
  );
  return { quantity: dec(rows[0]!.quantity), value: dec(rows[0]!.value) };
}

export async function addValuation(
  tx: Executor,
  schema: string,
  k: { itemId: string; companyId: string; quantity: Decimal; value: Decimal },
) {
  await tx.run(sql`UPDATE ${t(schema, 'inv_valuation')}
    SET quantity = quantity + ${k.quantity.toFixed()}::numeric, value = value + ${k.value.toFixed()}::numeric
    WHERE item_id = ${k.itemId} AND company_id = ${k.companyId}`);
}

export async function openLayers(tx: Executor, schema: string, itemId: string, companyId: string) {
  const { rows } = await tx.run<{
    seq: string;
    remaining: string;
    remaining_value: string;
    unit_cost: string;
  }>(
    // `seq::bigint` in ORDER BY: the bare name would sort the text alias (10 before 9).
    sql`SELECT seq::text AS seq, remaining, remaining_value, unit_cost FROM ${t(schema, 'inv_layer')}
        WHERE item_id = ${itemId} AND company_id = ${companyId} AND remaining <> 0
        ORDER BY posting_date, seq::bigint`,
  );
  return rows.map((r) => ({
    seq: r.seq,
    remaining: dec(r.remaining),
    remainingValue: dec(r.remaining_value),
    unitCost: dec(r.unit_cost),
  }));
}

export async function insertLayer(
  tx: Executor,
  schema: string,
  l: {
    itemId: string;
    companyId: string;
    moveId: string;
    postingDate: string;
    quantity: Decimal;
    value: Decimal;
    unitCost: Decimal;
  },
) {
  await tx.run(sql`INSERT INTO ${t(schema, 'inv_layer')}
    (item_id, company_id, move_id, posting_date, quantity, remaining, remaining_value, unit_cost)
    VALUES (${l.itemId}, ${l.companyId}, ${l.moveId}, ${l.postingDate}, ${l.quantity.toFixed()}::numeric,
      ${l.quantity.toFixed()}::numeric, ${l.value.toFixed()}::numeric, ${l.unitCost.toFixed()}::numeric)`);
}

export async function takeFromLayer(
  tx: Executor,
  schema: string,
  seq: string,
  quantity: Decimal,
  value: Decimal,
) {
  await tx.run(sql`UPDATE ${t(schema, 'inv_layer')}
    SET remaining = remaining - ${quantity.toFixed()}::numeric, remaining_value = remaining_value - ${value.toFixed()}::numeric
    WHERE seq = ${seq}::bigint`);
}

export type LedgerRow = {
  moveId: string;
  lineNo: number;
  moveType: string;
  itemId: string;
  warehouseId: string;
  companyId: string;
  locationId: string;
  lotId: string | null;
  serialId: string | null;
  quantity: Decimal;
  value: Decimal;
  postingDate: string;
  sourceType: string | null;
  sourceId: string | null;
};

export async function appendLedger(tx: Executor, schema: string, rows: LedgerRow[]) {
  const values = rows.map(
    (
      r,
    ) => sql`(${r.moveId}, ${r.lineNo}, ${r.moveType}, ${r.itemId}, ${r.warehouseId}, ${r.companyId}, ${r.locationId},
      ${orNil(r.lotId)}, ${orNil(r.serialId)}, ${r.quantity.toFixed()}::numeric, ${r.value.toFixed()}::numeric,
      ${r.postingDate}::date, ${r.sourceType}, ${r.sourceId})`,
  );
  await tx.run(sql`INSERT INTO ${t(schema, 'inv_ledger')} (move_id, line_no, move_type, item_id, warehouse_id,
    company_id, location_id, lot_id, serial_id, quantity, value, posting_date, source_type, source_id)
    VALUES ${sql.join(values)}`);
}

export async function enqueueEvent(
  tx: Executor,
  schema: string,
  topic: string,
  moveId: string,
  payload: unknown,
) {
  await tx.run(sql`INSERT INTO ${t(schema, '_outbox')} (topic, entity, record_id, payload)
    VALUES (${topic}, 'stock_move', ${moveId}, ${JSON.stringify(payload)}::jsonb)`);
}
