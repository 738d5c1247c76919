/**
 * A receipt in one autocommit statement (decision 0018): untracked items, every line with its unit
 * cost, in base units, into locations of the move's warehouse, with master data this process has
 * seen. The statement re-checks those facts and claims the idempotency key; every write depends on
 * the claim, so a changed fact or a replay writes nothing and the full path (postStockMoveIn)
 * decides. Values need no stock state: a receipt with its cost is valued at quantity × cost.
 */
import { Decimal, newId, parseDecimal } from '@tenon/core';
import { type Database, sql } from '@tenon/db';
import { lockOrder } from '../domain/plan-move.ts';
import { receiptValue } from '../domain/valuation.ts';
import { NIL } from '../migrations.ts';
import { revaluationUpsert } from '../repositories/bulk-stock.repository.ts';
import { cachedFacts, forgetFacts } from '../repositories/facts-cache.ts';
import { runPrepared } from '../repositories/prepared.ts';
import { checkIds, type PostMoveInput, type PostMoveResult } from './post-stock-move.service.ts';

const t = (schema: string, name: string) => sql.id(schema, name);
const byKey = <T>(rows: [string, T][]) => rows.sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);

type Line = {
  lineNo: number;
  item: string;
  location: string;
  quantity: Decimal;
  cost: Decimal;
  value: Decimal;
};

/** The lines when the one-statement receipt applies to this input, else null. */
function plan(schema: string, input: PostMoveInput) {
  checkIds(input);
  if (input.moveType !== 'receipt' || input.inlineRevaluation !== undefined || input.lines.length === 0)
    return null;
  const facts = cachedFacts(schema);
  const warehouse = facts?.warehouses.get(input.warehouse);
  if (!facts || !warehouse) return null;
  const lines: Line[] = [];
  for (const [i, l] of input.lines.entries()) {
    if (l.lot || l.serial || l.reservation || l.fromLocation || l.uom || !l.toLocation || !l.unitCost)
      return null;
    const item = facts.items.get(l.item);
    const location = facts.locations.get(l.toLocation);
    const quantity = parseDecimal(l.quantity);
    const cost = parseDecimal(l.unitCost);
    if (item?.tracking !== 'none' || item.itemType === 'service') return null;
    if (location?.warehouseId !== warehouse.id || !quantity || quantity.lte(0) || !cost || cost.isNegative())
      return null;
    lines.push({
      lineNo: i + 1,
      item: l.item,
      location: l.toLocation,
      quantity,
      cost,
      value: receiptValue(quantity, cost),
    });
  }
  return { facts, warehouse, lines };
}

/** Posts the receipt in one statement; null when the full path must (or did not yet) decide. */
export async function postReceiptAtOnce(
  db: Database,
  schema: string,
  input: PostMoveInput,
): Promise<(PostMoveResult & { revaluations?: string[] }) | null> {
  const p = plan(schema, input);
  if (!p) return null;
  const { facts, warehouse, lines } = p;
  const company = warehouse.companyId;
  const moveId = input.moveId ?? newId();
  const sum = <K extends string>(key: (l: Line) => K, f: (l: Line) => Decimal) => {
    const m = new Map<K, { l: Line; q: Decimal; v: Decimal }>();
    for (const l of lines) {
      const acc = m.get(key(l)) ?? { l, q: new Decimal(0), v: new Decimal(0) };
      acc.q = acc.q.plus(l.quantity);
      acc.v = acc.v.plus(f(l));
      m.set(key(l), acc);
    }
    return m;
  };
  const stock = byKey([
    ...sum(
      (l) => l.item,
      () => new Decimal(0),
    ).entries(),
  ]);
  const balances = lockOrder(
    lines.map((l) => ({ itemId: l.item, locationId: l.location, lotId: null, serialId: null })),
  );
  const balanceSum = sum(
    (l) => `${l.item}|${l.location}`,
    () => new Decimal(0),
  );
  const valuation = byKey([
    ...sum(
      (l) => l.item,
      (l) => l.value,
    ).entries(),
  ]);
  // Layers (FIFO items) and ledger rows in the order a posting values its lines: by item, then line.
  const ordered = [...lines].sort((a, b) =>
    a.item < b.item ? -1 : a.item > b.item ? 1 : a.lineNo - b.lineNo,
  );
  const fifo = ordered.filter((l) => facts.items.get(l.item)!.valuationMethod === 'fifo');
  const items = [...new Set(lines.map((l) => l.item))];
  const locations = [...new Set(lines.map((l) => l.location))];
  const revaluations = items
    .sort()
    .map((item) => ({ id: newId(), itemId: item, companyId: company, fromDate: input.postingDate }));
  const payload = {
    moveType: 'receipt',
    warehouse: warehouse.id,
    postingDate: input.postingDate,
    lines: lines.map((l) => ({ item: l.item, location: l.location, quantity: l.quantity.toFixed() })),
  };
  const { rows } = await runPrepared<{ fresh: number; claimed: number; jobs: string[] }>(
    db,
    schema,
    sql`WITH rf AS (
        SELECT 1 AS ok WHERE
          (SELECT count(*) FROM ${t(schema, 'warehouse')} w WHERE w.id = ${warehouse.id}::uuid AND w.company = ${company}::uuid) = 1
          AND (SELECT count(*) FROM ${t(schema, 'item')} i
                JOIN unnest(${items}::uuid[], ${items.map((i) => facts.items.get(i)!.valuationMethod)}::text[],
                  ${items.map((i) => facts.items.get(i)!.itemType)}::text[]) AS g(id, m, k)
                ON i.id = g.id AND i.valuation_method = g.m AND i.item_type = g.k AND i.tracking = 'none') = ${items.length}::int
          AND (SELECT count(*) FROM ${t(schema, 'location')} l
                JOIN unnest(${locations}::uuid[]) AS g(id) ON l.id = g.id AND l.warehouse = ${warehouse.id}::uuid) = ${locations.length}::int),
      rc AS (INSERT INTO ${t(schema, 'inv_posting')} (move_id, idempotency_key, move_type)
        SELECT ${moveId}::uuid, ${input.idempotencyKey}, 'receipt' FROM rf
        ON CONFLICT (idempotency_key) DO NOTHING RETURNING move_id),
      rs AS (INSERT INTO ${t(schema, 'inv_stock')} AS s (item_id, warehouse_id, on_hand)
        SELECT g.item_id, ${warehouse.id}::uuid, g.q
        FROM unnest(${stock.map((s) => s.l.item)}::uuid[], ${stock.map((s) => s.q.toFixed())}::numeric[]) AS g(item_id, q)
        WHERE EXISTS (SELECT 1 FROM rc)
        ON CONFLICT (item_id, warehouse_id) DO UPDATE SET on_hand = s.on_hand + excluded.on_hand RETURNING 1),
      rb AS (INSERT INTO ${t(schema, 'inv_balance')} AS b (item_id, location_id, lot_id, serial_id, warehouse_id, on_hand)
        SELECT g.item_id, g.location_id, ${NIL}::uuid, ${NIL}::uuid, ${warehouse.id}::uuid, g.q
        FROM unnest(${balances.map((b) => b.itemId)}::uuid[], ${balances.map((b) => b.locationId)}::uuid[],
          ${balances.map((b) => balanceSum.get(`${b.itemId}|${b.locationId}`)!.q.toFixed())}::numeric[]) AS g(item_id, location_id, q)
        WHERE (SELECT count(*) FROM rs) > 0
        ON CONFLICT (item_id, location_id, lot_id, serial_id) DO UPDATE SET on_hand = b.on_hand + excluded.on_hand
        RETURNING 1),
      rv AS (INSERT INTO ${t(schema, 'inv_valuation')} AS y (item_id, company_id, quantity, value)
        SELECT g.item_id, ${company}::uuid, g.q, g.v
        FROM unnest(${valuation.map((v) => v.l.item)}::uuid[], ${valuation.map((v) => v.q.toFixed())}::numeric[],
          ${valuation.map((v) => v.v.toFixed())}::numeric[]) AS g(item_id, q, v)
        WHERE (SELECT count(*) FROM rb) > 0
        ON CONFLICT (item_id, company_id) DO UPDATE
          SET quantity = y.quantity + excluded.quantity, value = y.value + excluded.value
        RETURNING 1),
      rl AS (INSERT INTO ${t(schema, 'inv_layer')}
          (item_id, company_id, move_id, posting_date, quantity, remaining, remaining_value, unit_cost)
        SELECT g.item_id, ${company}::uuid, ${moveId}::uuid, ${input.postingDate}::date, g.q, g.q, g.v, g.c
        FROM unnest(${fifo.map((l) => l.item)}::uuid[], ${fifo.map((l) => l.quantity.toFixed())}::numeric[],
          ${fifo.map((l) => l.value.toFixed())}::numeric[], ${fifo.map((l) => l.cost.toFixed())}::numeric[])
          WITH ORDINALITY AS g(item_id, q, v, c, n)
        WHERE (SELECT count(*) FROM rv) > 0 ORDER BY g.n RETURNING 1),
      rg AS (INSERT INTO ${t(schema, 'inv_ledger')} (move_id, line_no, move_type, item_id, warehouse_id,
          company_id, location_id, lot_id, serial_id, quantity, value, posting_date, source_type, source_id)
        SELECT ${moveId}::uuid, g.line_no, 'receipt', g.item_id, ${warehouse.id}::uuid, ${company}::uuid, g.location_id,
          ${NIL}::uuid, ${NIL}::uuid, g.q, g.v, ${input.postingDate}::date, ${input.sourceType ?? null}::text,
          ${input.sourceId ?? null}::text
        FROM unnest(${ordered.map((l) => l.lineNo)}::int[], ${ordered.map((l) => l.item)}::uuid[],
          ${ordered.map((l) => l.location)}::uuid[], ${ordered.map((l) => l.quantity.toFixed())}::numeric[],
          ${ordered.map((l) => l.value.toFixed())}::numeric[]) WITH ORDINALITY AS g(line_no, item_id, location_id, q, v, n)
        WHERE EXISTS (SELECT 1 FROM rc) ORDER BY g.n RETURNING 1),
      ro AS (INSERT INTO ${t(schema, '_outbox')} (topic, entity, record_id, payload)
        SELECT 'inventory.stock_move.posted', 'stock_move', ${moveId}, ${JSON.stringify(payload)}::jsonb
        WHERE EXISTS (SELECT 1 FROM rc) RETURNING 1),
      rj AS (${revaluationUpsert(schema, revaluations, sql`(SELECT count(*) FROM rv) > 0`)})
    SELECT (SELECT count(*) FROM rf)::int AS fresh, (SELECT count(*) FROM rc)::int AS claimed,
      (SELECT count(*) FROM rl)::int + (SELECT count(*) FROM rg)::int + (SELECT count(*) FROM ro)::int AS written,
      coalesce((SELECT array_agg(id::text) FROM rj), '{}') AS jobs`,
  );
  const r = rows[0]!;
  if (r.fresh === 0) forgetFacts(schema);
  if (r.claimed === 0) return null;
  return { moveId, replayed: false, ...(r.jobs.length > 0 ? { revaluations: r.jobs } : {}) };
}
