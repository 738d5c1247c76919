/**
 * The few statements of a posting (decision 0017), each with its rows as `unnest` arrays (one text
 * whatever the number of lines):
 *
 * 1. `claimWithFacts`: claim the idempotency keys and read the master data;
 * 2. `applyAndLock`: add the deltas to the stock rows, then the balance rows, then lock the
 *    valuation rows, in that order (a data-modifying WITH whose later parts wait on the earlier
 *    ones), returning the new totals for the checks made in memory afterwards (a refusal rolls the
 *    transaction back);
 * 3. `firstOpenLayers` (FIFO issues only): the oldest open layers, a bounded index scan;
 * 4. `appendPostingTail`: layer updates and inserts, valuation totals, ledger, outbox event and the
 *    back-dated check, together.
 *
 * Each takes the rows of one posting or of several combined ones (post-moves-combined.ts).
 */
import { type Executor, sql } from '@tenon/db';
import { ledgerInsert, type NewLayer, revaluationUpsert } from './bulk-stock.repository.ts';
import type { FactRow } from './master-data.repository.ts';
import { runPrepared } from './prepared.ts';
import { dec, type LedgerRow, orNil } from './stock.repository.ts';

const t = (schema: string, name: string) => sql.id(schema, name);

/**
 * The key claims and the master-data read in one statement. A key that is not in `claimed` was
 * posted before (a replay).
 */
export async function claimWithFacts(
  tx: Executor,
  schema: string,
  k: {
    claims: { moveId: string; key: string; moveType: string }[];
    warehouses: string[];
    items: string[];
    locations: string[];
  },
): Promise<{ claimed: Set<string>; rows: FactRow[] }> {
  const c = k.claims;
  const { rows } = await runPrepared<FactRow>(
    tx,
    schema,
    sql`WITH c AS (INSERT INTO ${t(schema, 'inv_posting')} (move_id, idempotency_key, move_type)
          SELECT * FROM unnest(${c.map((r) => r.moveId)}::uuid[], ${c.map((r) => r.key)}::text[],
            ${c.map((r) => r.moveType)}::text[])
          ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key)
        SELECT 'claim' AS kind, idempotency_key AS id, NULL AS a, NULL AS b, NULL AS c, NULL AS d, NULL AS e FROM c
        UNION ALL
        SELECT 'warehouse', id::text, company::text, coalesce(allow_negative, false)::text, NULL, NULL, NULL
        FROM ${t(schema, 'warehouse')} WHERE id = ANY(${[...new Set(k.warehouses)]}::uuid[])
        UNION ALL
        SELECT 'item', i.id::text, i.item_type, i.tracking, i.valuation_method,
          i.standard_cost::text, concat(i.base_uom, '|', coalesce(u.precision, 0))
        FROM ${t(schema, 'item')} i LEFT JOIN ${t(schema, 'uom')} u ON u.id = i.base_uom
        WHERE i.id = ANY(${[...new Set(k.items)]}::uuid[])
        UNION ALL
        SELECT 'location', id::text, warehouse::text, NULL, NULL, NULL, NULL
        FROM ${t(schema, 'location')} WHERE id = ANY(${[...new Set(k.locations)]}::uuid[])`,
  );
  return {
    claimed: new Set(rows.filter((r) => r.kind === 'claim').map((r) => r.id)),
    rows: rows.filter((r) => r.kind !== 'claim'),
  };
}

export type StockChange = { itemId: string; warehouseId: string; onHand: string; reserved: string };
export type BalanceChange = {
  itemId: string;
  locationId: string;
  lotId: string | null;
  serialId: string | null;
  warehouseId: string;
  delta: string;
};

/**
 * Adds the deltas to stock rows, then balance rows (creating them), then locks the valuation rows;
 * keys must be unique and sorted. Answers the rows' new totals.
 */
export async function applyAndLock(
  tx: Executor,
  schema: string,
  k: { stock: StockChange[]; balances: BalanceChange[]; valuations: { itemId: string; companyId: string }[] },
) {
  const b = k.balances;
  const { rows } = await runPrepared<{
    kind: string;
    k1: string;
    k2: string;
    k3: string | null;
    k4: string | null;
    x: string;
    y: string | null;
  }>(
    tx,
    schema,
    sql`WITH s AS (
        INSERT INTO ${t(schema, 'inv_stock')} AS s (item_id, warehouse_id, on_hand, reserved)
        SELECT * FROM unnest(${k.stock.map((r) => r.itemId)}::uuid[], ${k.stock.map((r) => r.warehouseId)}::uuid[],
          ${k.stock.map((r) => r.onHand)}::numeric[], ${k.stock.map((r) => r.reserved)}::numeric[])
        ON CONFLICT (item_id, warehouse_id) DO UPDATE
          SET on_hand = s.on_hand + excluded.on_hand, reserved = s.reserved + excluded.reserved
        RETURNING s.item_id, s.warehouse_id, s.on_hand, s.reserved),
      b AS (
        INSERT INTO ${t(schema, 'inv_balance')} AS b (item_id, location_id, lot_id, serial_id, warehouse_id, on_hand)
        SELECT * FROM unnest(${b.map((r) => r.itemId)}::uuid[], ${b.map((r) => r.locationId)}::uuid[],
          ${b.map((r) => orNil(r.lotId))}::uuid[], ${b.map((r) => orNil(r.serialId))}::uuid[],
          ${b.map((r) => r.warehouseId)}::uuid[], ${b.map((r) => r.delta)}::numeric[])
        WHERE (SELECT count(*) FROM s) >= 0
        ON CONFLICT (item_id, location_id, lot_id, serial_id) DO UPDATE SET on_hand = b.on_hand + excluded.on_hand
        RETURNING b.item_id, b.location_id, b.lot_id, b.serial_id, b.on_hand),
      v AS (
        INSERT INTO ${t(schema, 'inv_valuation')} AS v (item_id, company_id)
        SELECT * FROM unnest(${k.valuations.map((r) => r.itemId)}::uuid[], ${k.valuations.map((r) => r.companyId)}::uuid[])
        WHERE (SELECT count(*) FROM b) >= 0
        ON CONFLICT (item_id, company_id) DO UPDATE SET quantity = v.quantity
        RETURNING v.item_id, v.company_id, v.quantity, v.value)
    SELECT 's' AS kind, item_id::text AS k1, warehouse_id::text AS k2, NULL AS k3, NULL AS k4,
      on_hand::text AS x, reserved::text AS y FROM s
    UNION ALL SELECT 'b', item_id::text, location_id::text, lot_id::text, serial_id::text, on_hand::text, NULL FROM b
    UNION ALL SELECT 'v', item_id::text, company_id::text, NULL, NULL, quantity::text, value::text FROM v`,
  );
  const stock = new Map<string, { onHand: ReturnType<typeof dec>; reserved: ReturnType<typeof dec> }>();
  const balances = new Map<string, ReturnType<typeof dec>>();
  const valuations = new Map<string, { quantity: ReturnType<typeof dec>; value: ReturnType<typeof dec> }>();
  for (const r of rows) {
    if (r.kind === 's') stock.set(`${r.k1}|${r.k2}`, { onHand: dec(r.x), reserved: dec(r.y) });
    else if (r.kind === 'b') balances.set(`${r.k1}|${r.k2}|${r.k3}|${r.k4}`, dec(r.x));
    else valuations.set(`${r.k1}|${r.k2}`, { quantity: dec(r.x), value: dec(r.y) });
  }
  return { stock, balances, valuations };
}

/**
 * The oldest open layers of an item in FIFO order (posting date, seq), at most `limit` (an index
 * range scan that stops there).
 */
export async function firstOpenLayers(
  tx: Executor,
  schema: string,
  k: { itemId: string; companyId: string; limit: number | null },
) {
  const { rows } = await runPrepared<{
    seq: string;
    remaining: string;
    remaining_value: string;
    unit_cost: string;
  }>(
    tx,
    schema,
    sql`SELECT seq::text AS seq, remaining::text AS remaining, remaining_value::text AS remaining_value,
          unit_cost::text AS unit_cost
        -- y.seq in ORDER BY: the bare name would sort the text alias (10 before 9).
        FROM ${t(schema, 'inv_layer')} y
        WHERE item_id = ${k.itemId}::uuid AND company_id = ${k.companyId}::uuid AND remaining <> 0
        ORDER BY y.posting_date, y.seq LIMIT ${k.limit}::bigint`,
  );
  return rows;
}

/**
 * A posting's tail in one statement: touched layers, new layers, valuation totals, ledger rows,
 * the outbox event and the revaluation jobs of the items it is back-dated for. Returns the pending
 * job ids.
 */
export async function appendPostingTail(
  tx: Executor,
  schema: string,
  k: {
    layers: { seq: string; remaining: string; remainingValue: string }[];
    newLayers: NewLayer[];
    valuations: { itemId: string; companyId: string; quantity: string; value: string }[];
    ledger: LedgerRow[];
    events: { topic: string; moveId: string; payload: unknown }[];
    revaluations: { id: string; itemId: string; companyId: string; fromDate: string }[];
  },
): Promise<string[]> {
  const n = k.newLayers;
  const col = <K extends keyof NewLayer>(key: K) => n.map((r) => r[key]);
  const { rows } = await runPrepared<{ id: string }>(
    tx,
    schema,
    sql`WITH lt AS (
        UPDATE ${t(schema, 'inv_layer')} AS y SET remaining = v.r, remaining_value = v.rv
        FROM unnest(${k.layers.map((r) => r.seq)}::bigint[], ${k.layers.map((r) => r.remaining)}::numeric[],
          ${k.layers.map((r) => r.remainingValue)}::numeric[]) AS v(seq, r, rv)
        WHERE y.seq = v.seq RETURNING 1),
      li AS (
        INSERT INTO ${t(schema, 'inv_layer')}
          (item_id, company_id, move_id, posting_date, quantity, remaining, remaining_value, unit_cost)
        SELECT * FROM unnest(${col('itemId')}::uuid[], ${col('companyId')}::uuid[], ${col('moveId')}::uuid[],
          ${col('postingDate')}::date[], ${col('quantity')}::numeric[], ${col('remaining')}::numeric[],
          ${col('remainingValue')}::numeric[], ${col('unitCost')}::numeric[]) RETURNING 1),
      va AS (
        UPDATE ${t(schema, 'inv_valuation')} AS y SET quantity = y.quantity + v.q, value = y.value + v.v
        FROM unnest(${k.valuations.map((r) => r.itemId)}::uuid[], ${k.valuations.map((r) => r.companyId)}::uuid[],
          ${k.valuations.map((r) => r.quantity)}::numeric[], ${k.valuations.map((r) => r.value)}::numeric[])
          AS v(item_id, company_id, q, v)
        WHERE y.item_id = v.item_id AND y.company_id = v.company_id RETURNING 1),
      l AS (${ledgerInsert(schema, k.ledger)} RETURNING 1),
      o AS (INSERT INTO ${t(schema, '_outbox')} (topic, entity, record_id, payload)
        SELECT e.topic, 'stock_move', e.record_id, e.payload
        FROM unnest(${k.events.map((e) => e.topic)}::text[], ${k.events.map((e) => e.moveId)}::uuid[],
          ${k.events.map((e) => JSON.stringify(e.payload))}::jsonb[]) WITH ORDINALITY AS e(topic, record_id, payload, n)
        ORDER BY e.n RETURNING 1)
    ${revaluationUpsert(schema, k.revaluations)}`,
  );
  return rows.map((r) => r.id);
}
