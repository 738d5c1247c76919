/**
 * The statements of one bulk-import batch (decision 0013's addendum), rows as `unnest` arrays:
 *
 * 1. `claimBatchWithFacts`: claim the idempotency keys and read the master data the batch names;
 * 2. `applyBatchAndLock`: add the deltas to the stock rows, then the balance rows, then lock the
 *    valuation rows (one data-modifying WITH whose later parts wait on the earlier ones: the lock
 *    order stock -> balance -> valuation of every writer, keys sorted), answering the totals; the
 *    refusals are judged in memory from them and roll the transaction back;
 * 3. the open FIFO layers the issues can reach (`reachableLayers` below);
 * 4. `appendBatchTail`: valuation totals, layer updates and inserts, ledger rows, the outbox event
 *    and the back-dated check, together.
 *
 * Columns travel as typed arrays (`typedArray`: binary on PostgreSQL, decision 0070): the server
 * copies them instead of parsing a text per element.
 */
import { type Executor, type RawBuilder, sql, typedArray } from '@tenon/db';
import type { NewLayer } from './bulk-stock.repository.ts';
import type { FactRow } from './master-data.repository.ts';
import { dec, orNil } from './stock.repository.ts';

const t = (schema: string, name: string) => sql.id(schema, name);

const uuids = (values: readonly (string | null)[]) => typedArray('uuid', values);
const dates = (values: readonly string[]) => typedArray('date', values);
const numbers = (values: readonly string[]) => typedArray('numeric', values);
const ints = (values: readonly number[]) => typedArray('int4', values);
const bigints = (values: readonly string[]) => typedArray('int8', values);
const texts = (values: readonly (string | null)[]) => typedArray('text', values);

/**
 * Claims the keys (rows in input order) and reads warehouses, items (with the base unit's
 * precision), locations, lots and serials. Answers the keys claimed now and the master-data rows.
 */
export async function claimBatchWithFacts(
  tx: Executor,
  schema: string,
  k: {
    claims: { moveId: string; key: string; moveType: string }[];
    warehouses: string[];
    items: string[];
    locations: string[];
    lots: string[];
    serials: string[];
  },
): Promise<{ claimed: Set<string>; rows: FactRow[] }> {
  const { rows } = await tx.run<FactRow>(
    sql`WITH c AS (INSERT INTO ${t(schema, 'inv_posting')} (move_id, idempotency_key, move_type)
          SELECT * FROM unnest(${uuids(k.claims.map((r) => r.moveId))}, ${texts(k.claims.map((r) => r.key))},
            ${texts(k.claims.map((r) => r.moveType))})
          ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key)
        SELECT 'claim' AS kind, idempotency_key AS id, NULL AS a, NULL AS b, NULL AS c, NULL AS d, NULL AS e FROM c
        UNION ALL
        SELECT 'warehouse', id::text, company::text, coalesce(allow_negative, false)::text, NULL, NULL, NULL
        FROM ${t(schema, 'warehouse')} WHERE id = ANY(${uuids(k.warehouses)})
        UNION ALL
        SELECT 'item', i.id::text, i.item_type, i.tracking, i.valuation_method,
          i.standard_cost::text, concat(i.base_uom, '|', coalesce(u.precision, 0))
        FROM ${t(schema, 'item')} i LEFT JOIN ${t(schema, 'uom')} u ON u.id = i.base_uom
        WHERE i.id = ANY(${uuids(k.items)})
        UNION ALL
        SELECT 'location', id::text, warehouse::text, NULL, NULL, NULL, NULL
        FROM ${t(schema, 'location')} WHERE id = ANY(${uuids(k.locations)})
        UNION ALL
        SELECT 'lot', id::text, item::text, NULL, NULL, NULL, NULL
        FROM ${t(schema, 'lot')} WHERE id = ANY(${uuids(k.lots)})
        UNION ALL
        SELECT 'serial', id::text, item::text, NULL, NULL, NULL, NULL
        FROM ${t(schema, 'serial_number')} WHERE id = ANY(${uuids(k.serials)})`,
  );
  const claimed = new Set<string>();
  const facts: FactRow[] = [];
  for (const r of rows) {
    if (r.kind === 'claim') claimed.add(r.id);
    else facts.push(r);
  }
  return { claimed, rows: facts };
}

export type BatchStockChange = { itemId: string; warehouseId: string; onHand: string };
export type BatchBalanceChange = {
  itemId: string;
  locationId: string;
  lotId: string | null;
  serialId: string | null;
  warehouseId: string;
  delta: string;
};

export type BatchTotalsRow = {
  kind: string;
  k1: string;
  k2: string;
  k3: string | null;
  k4: string | null;
  x: string;
  y: string | null;
};

/**
 * Adds the deltas to the stock rows, then to the balance rows (creating them), then locks the
 * valuation rows, each in the given (sorted) key order; answers the rows' totals after the change.
 * With `balancesLater` the balance rows are only locked (serials: their row may hold only 0 or 1,
 * checked on every row, so they are updated after the checks, by the tail).
 */
export async function applyBatchAndLock(
  tx: Executor,
  schema: string,
  k: {
    stock: BatchStockChange[];
    balances: BatchBalanceChange[];
    valuations: { itemId: string; companyId: string }[];
    balancesLater: boolean;
  },
): Promise<BatchTotalsRow[]> {
  const b = k.balances;
  const balanceSet = k.balancesLater ? sql`on_hand = b.on_hand` : sql`on_hand = b.on_hand + excluded.on_hand`;
  const { rows } = await tx.run<BatchTotalsRow>(
    sql`WITH s AS (
        INSERT INTO ${t(schema, 'inv_stock')} AS s (item_id, warehouse_id, on_hand)
        SELECT * FROM unnest(${uuids(k.stock.map((r) => r.itemId))}, ${uuids(k.stock.map((r) => r.warehouseId))},
          ${numbers(k.stock.map((r) => r.onHand))})
        ON CONFLICT (item_id, warehouse_id) DO UPDATE SET on_hand = s.on_hand + excluded.on_hand
        RETURNING s.item_id, s.warehouse_id, s.on_hand, s.reserved),
      b AS (
        INSERT INTO ${t(schema, 'inv_balance')} AS b (item_id, location_id, lot_id, serial_id, warehouse_id, on_hand)
        SELECT * FROM unnest(${uuids(b.map((r) => r.itemId))}, ${uuids(b.map((r) => r.locationId))},
          ${uuids(b.map((r) => orNil(r.lotId)))}, ${uuids(b.map((r) => orNil(r.serialId)))},
          ${uuids(b.map((r) => r.warehouseId))}, ${numbers(b.map((r) => (k.balancesLater ? '0' : r.delta)))})
        WHERE (SELECT count(*) FROM s) >= 0
        ON CONFLICT (item_id, location_id, lot_id, serial_id) DO UPDATE SET ${balanceSet}
        RETURNING b.item_id, b.location_id, b.lot_id, b.serial_id, b.on_hand),
      v AS (
        INSERT INTO ${t(schema, 'inv_valuation')} AS v (item_id, company_id)
        SELECT * FROM unnest(${uuids(k.valuations.map((r) => r.itemId))}, ${uuids(k.valuations.map((r) => r.companyId))})
        WHERE (SELECT count(*) FROM b) >= 0
        ON CONFLICT (item_id, company_id) DO UPDATE SET quantity = v.quantity
        RETURNING v.item_id, v.company_id, v.quantity, v.value)
    SELECT 's' AS kind, item_id::text AS k1, warehouse_id::text AS k2, NULL AS k3, NULL AS k4,
      on_hand::text AS x, reserved::text AS y FROM s
    UNION ALL SELECT 'b', item_id::text, location_id::text, lot_id::text, serial_id::text, on_hand::text, NULL FROM b
    UNION ALL SELECT 'v', item_id::text, company_id::text, NULL, NULL, quantity::text, value::text FROM v`,
  );
  return rows;
}

export type BatchLedgerRow = {
  moveId: string;
  lineNo: number;
  moveType: string;
  itemId: string;
  warehouseId: string;
  companyId: string;
  locationId: string;
  lotId: string | null;
  serialId: string | null;
  quantity: string;
  value: string;
  postingDate: string;
  sourceType: string | null;
  sourceId: string | null;
};

/**
 * The batch's writes after the checks, in one statement: balances (when `applyBatchAndLock` only
 * locked them), valuation totals, touched layers, new layers, ledger rows, the outbox event, and the
 * revaluation jobs of the items the batch is back-dated for (the check sees only earlier rows: a
 * statement does not see its own inserts). Returns the pending job ids.
 */
export async function appendBatchTail(
  tx: Executor,
  schema: string,
  k: {
    balances: BatchBalanceChange[] | null;
    valuations: { itemId: string; companyId: string; quantity: string; value: string }[];
    remainders: { seq: string; remaining: string; remainingValue: string }[];
    created: NewLayer[];
    ledger: BatchLedgerRow[];
    event: { topic: string; moveId: string; payload: unknown };
    revaluations: { id: string; itemId: string; companyId: string; fromDate: string }[];
  },
): Promise<string[]> {
  const b = k.balances ?? [];
  const v = k.valuations;
  const r = k.remainders;
  const n = k.created;
  const g = k.ledger;
  const parts: RawBuilder<unknown>[] = [];
  if (b.length > 0)
    parts.push(sql`bu AS (UPDATE ${t(schema, 'inv_balance')} AS b SET on_hand = b.on_hand + x.d
      FROM unnest(${uuids(b.map((y) => y.itemId))}, ${uuids(b.map((y) => y.locationId))},
        ${uuids(b.map((y) => orNil(y.lotId)))}, ${uuids(b.map((y) => orNil(y.serialId)))},
        ${numbers(b.map((y) => y.delta))}) AS x(item_id, location_id, lot_id, serial_id, d)
      WHERE b.item_id = x.item_id AND b.location_id = x.location_id AND b.lot_id = x.lot_id AND b.serial_id = x.serial_id
        AND b.item_id = ANY(${uuids(b.map((y) => y.itemId))})
      RETURNING 1)`);
  parts.push(sql`vu AS (UPDATE ${t(schema, 'inv_valuation')} AS y SET quantity = y.quantity + x.q, value = y.value + x.v
      FROM unnest(${uuids(v.map((y) => y.itemId))}, ${uuids(v.map((y) => y.companyId))},
        ${numbers(v.map((y) => y.quantity))}, ${numbers(v.map((y) => y.value))}) AS x(item_id, company_id, q, v)
      WHERE y.item_id = x.item_id AND y.company_id = x.company_id AND y.item_id = ANY(${uuids(v.map((y) => y.itemId))})
      RETURNING 1)`);
  if (r.length > 0)
    parts.push(sql`lu AS (UPDATE ${t(schema, 'inv_layer')} AS y SET remaining = x.r, remaining_value = x.rv
      FROM unnest(${bigints(r.map((y) => y.seq))}, ${numbers(r.map((y) => y.remaining))},
        ${numbers(r.map((y) => y.remainingValue))}) AS x(seq, r, rv)
      WHERE y.seq = x.seq AND y.seq = ANY(${bigints(r.map((y) => y.seq))})
      RETURNING 1)`);
  if (n.length > 0)
    parts.push(sql`li AS (INSERT INTO ${t(schema, 'inv_layer')}
      (item_id, company_id, move_id, posting_date, quantity, remaining, remaining_value, unit_cost)
      SELECT * FROM unnest(${uuids(n.map((y) => y.itemId))}, ${uuids(n.map((y) => y.companyId))}, ${uuids(n.map((y) => y.moveId))},
        ${dates(n.map((y) => y.postingDate))}, ${numbers(n.map((y) => y.quantity))}, ${numbers(n.map((y) => y.remaining))},
        ${numbers(n.map((y) => y.remainingValue))}, ${numbers(n.map((y) => y.unitCost))})
      RETURNING 1)`);
  parts.push(sql`gi AS (INSERT INTO ${t(schema, 'inv_ledger')} (move_id, line_no, move_type, item_id, warehouse_id,
      company_id, location_id, lot_id, serial_id, quantity, value, posting_date, source_type, source_id)
    SELECT * FROM unnest(${uuids(g.map((y) => y.moveId))}, ${ints(g.map((y) => y.lineNo))}, ${texts(g.map((y) => y.moveType))},
      ${uuids(g.map((y) => y.itemId))}, ${uuids(g.map((y) => y.warehouseId))}, ${uuids(g.map((y) => y.companyId))},
      ${uuids(g.map((y) => y.locationId))}, ${uuids(g.map((y) => orNil(y.lotId)))}, ${uuids(g.map((y) => orNil(y.serialId)))},
      ${numbers(g.map((y) => y.quantity))}, ${numbers(g.map((y) => y.value))},
      ${dates(g.map((y) => y.postingDate))}, ${texts(g.map((y) => y.sourceType))}, ${texts(g.map((y) => y.sourceId))})
    RETURNING 1)`);
  parts.push(sql`o AS (INSERT INTO ${t(schema, '_outbox')} (topic, entity, record_id, payload)
      VALUES (${k.event.topic}, 'stock_move', ${k.event.moveId}, ${JSON.stringify(k.event.payload)}::jsonb) RETURNING 1)`);
  const { rows } = await tx.run<{ id: string }>(
    sql`WITH ${sql.join(parts)} ${revaluationProbe(schema, k.revaluations)}`,
  );
  return rows.map((x) => x.id);
}

/**
 * Revaluation jobs (decision 0012) for the items with a ledger entry dated after the batch's first
 * one: `revaluationUpsert` with one bounded index probe per item (`LATERAL … LIMIT 1`). Its
 * `EXISTS` form is planned as a hash join over the whole ledger for a batch's thousand items, a
 * scan per batch that grows with the ledger.
 */
function revaluationProbe(
  schema: string,
  rows: { id: string; itemId: string; companyId: string; fromDate: string }[],
) {
  return sql`INSERT INTO ${t(schema, 'inv_revaluation')} AS j (id, item_id, company_id, from_date)
    SELECT v.id, v.item_id, v.company_id, v.from_date
    FROM unnest(${uuids(rows.map((r) => r.id))}, ${uuids(rows.map((r) => r.itemId))},
      ${uuids(rows.map((r) => r.companyId))}, ${dates(rows.map((r) => r.fromDate))}) AS v(id, item_id, company_id, from_date)
    CROSS JOIN LATERAL (SELECT 1 FROM ${t(schema, 'inv_ledger')} l WHERE l.item_id = v.item_id
      AND l.company_id = v.company_id AND l.posting_date > v.from_date LIMIT 1) AS later
    ON CONFLICT (item_id, company_id) WHERE status = 'pending' DO UPDATE SET
      from_date = least(j.from_date, excluded.from_date),
      cursor_date = CASE WHEN excluded.from_date < j.cursor_date THEN NULL ELSE j.cursor_date END,
      cursor_seq = CASE WHEN excluded.from_date < j.cursor_date THEN NULL ELSE j.cursor_seq END,
      state = CASE WHEN excluded.from_date < j.cursor_date THEN NULL ELSE j.state END,
      updated_at = now()
    RETURNING j.id`;
}

type OpenLayerRow = {
  seq: string;
  item_id: string;
  company_id: string;
  remaining: string;
  remaining_value: string;
  unit_cost: string;
  covered: string;
  needed: string;
  got: string;
};

/**
 * Open layers per item read first, then for the items these do not cover, then all. An issue
 * usually needs one or two layers, and a batch reads them for each of its items.
 */
const LAYER_WINDOWS = [8, 128, null];

/**
 * The open FIFO layers that issues of `needed` quantity per item can reach, oldest first (layers
 * after the needed quantity is covered are not read): each item's oldest open layers through the
 * FIFO-order index, a bounded scan, in growing windows until they cover the need or are all read.
 */
export async function reachableLayers(
  tx: Executor,
  schema: string,
  needs: { itemId: string; companyId: string; quantity: string }[],
): Promise<OpenLayerRow[]> {
  const out: OpenLayerRow[] = [];
  let left = needs;
  for (const window of LAYER_WINDOWS) {
    if (left.length === 0) break;
    const { rows } = await tx.run<OpenLayerRow>(
      sql`SELECT x.seq::text AS seq, x.item_id, x.company_id, x.remaining::text AS remaining,
          x.remaining_value::text AS remaining_value, x.unit_cost::text AS unit_cost,
          x.covered::text AS covered, x.needed::text AS needed, x.got::text AS got
        FROM (SELECT y.seq, y.item_id, y.company_id, y.posting_date, y.remaining, y.remaining_value, y.unit_cost,
                n.needed, count(*) OVER (PARTITION BY y.item_id, y.company_id) AS got,
                sum(y.remaining) OVER (PARTITION BY y.item_id, y.company_id ORDER BY y.posting_date, y.seq) AS covered
              FROM unnest(${uuids(left.map((n) => n.itemId))}, ${uuids(left.map((n) => n.companyId))},
                ${numbers(left.map((n) => n.quantity))}) AS n(item_id, company_id, needed)
              CROSS JOIN LATERAL (SELECT * FROM ${t(schema, 'inv_layer')} l
                WHERE l.item_id = n.item_id AND l.company_id = n.company_id AND l.remaining <> 0
                ORDER BY l.posting_date, l.seq LIMIT ${window}::bigint) y) x
        WHERE x.covered - x.remaining < x.needed
        ORDER BY x.item_id, x.company_id, x.posting_date, x.seq`,
    );
    // An item whose window was full and whose last layer read does not cover the need: read more.
    const key = (itemId: string, companyId: string) => `${itemId}|${companyId}`.toLowerCase();
    const last = new Map<string, OpenLayerRow>();
    for (const r of rows) last.set(key(r.item_id, r.company_id), r);
    const short = new Set<string>();
    for (const r of last.values())
      if (window !== null && Number(r.got) >= window && dec(r.covered).lt(dec(r.needed)))
        short.add(key(r.item_id, r.company_id));
    for (const r of rows) if (!short.has(key(r.item_id, r.company_id))) out.push(r);
    left = left.filter((n) => short.has(key(n.itemId, n.companyId)));
  }
  return out;
}
