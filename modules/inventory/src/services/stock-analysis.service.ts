/**
 * Analysis reads over the ledger and master data: reorder suggestions (min/max, reorder point,
 * lead time), ABC by value or by picks, lots expiring within a horizon, and stock ageing by FIFO layer.
 */
import { Decimal } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import { type AbcCutoffs, classifyAbc, DEFAULT_CUTOFFS } from '../domain/abc.ts';
import { dec } from '../repositories/stock.repository.ts';

export async function reorderSuggestions(db: Executor, schema: string, f: { warehouse?: string } = {}) {
  const { rows } = await db.run<{
    item: string;
    warehouse: string;
    min_qty: string;
    max_qty: string;
    reorder_point: string | null;
    lead_time_days: string | null;
    available: string;
  }>(
    sql`SELECT r.item, r.warehouse, r.min_qty::text AS min_qty, r.max_qty::text AS max_qty,
          r.reorder_point::text AS reorder_point, coalesce(r.lead_time_days, i.lead_time_days, 0)::text AS lead_time_days,
          coalesce(s.on_hand - s.reserved, 0)::text AS available
        FROM ${sql.id(schema, 'reorder_rule')} r JOIN ${sql.id(schema, 'item')} i ON i.id = r.item
        LEFT JOIN ${sql.id(schema, 'inv_stock')} s ON s.item_id = r.item AND s.warehouse_id = r.warehouse
        WHERE (${f.warehouse ?? null}::uuid IS NULL OR r.warehouse = ${f.warehouse ?? null}::uuid)`,
  );
  return rows
    .filter((r) => dec(r.available).lte(dec(r.reorder_point ?? r.min_qty)))
    .map((r) => ({
      item: r.item,
      warehouse: r.warehouse,
      available: r.available,
      suggestedQuantity: Decimal.max(dec(r.max_qty).minus(dec(r.available)), 0).toFixed(),
      leadTimeDays: Number(r.lead_time_days),
    }));
}

export async function abcAnalysis(
  db: Executor,
  schema: string,
  f: { from: string; to: string; by: 'value' | 'picks'; cutoffs?: AbcCutoffs },
) {
  const { rows } = await db.run<{ item_id: string; value: string; picks: string }>(
    sql`SELECT item_id, (-sum(value))::text AS value, count(*)::text AS picks FROM ${sql.id(schema, 'inv_ledger')}
        WHERE move_type = 'issue' AND quantity < 0 AND posting_date BETWEEN ${f.from}::date AND ${f.to}::date
        GROUP BY item_id`,
  );
  return classifyAbc(
    rows.map((r) => ({ item: r.item_id, measure: dec(f.by === 'value' ? r.value : r.picks) })),
    f.cutoffs ?? DEFAULT_CUTOFFS,
  );
}

export async function expiringLots(db: Executor, schema: string, f: { today: string; withinDays: number }) {
  const { rows } = await db.run<{
    lot: string;
    item: string;
    code: string;
    expires_on: string;
    on_hand: string;
  }>(
    sql`SELECT l.id AS lot, l.item, l.code, l.expires_on::text AS expires_on, sum(b.on_hand)::text AS on_hand
        FROM ${sql.id(schema, 'lot')} l JOIN ${sql.id(schema, 'inv_balance')} b ON b.lot_id = l.id
        WHERE l.expires_on <= ${f.today}::date + ${f.withinDays}::int
        GROUP BY l.id, l.item, l.code, l.expires_on HAVING sum(b.on_hand) > 0
        ORDER BY l.expires_on, l.code`,
  );
  return rows.map((r) => ({ ...r, expired: r.expires_on < f.today }));
}

/** Remaining FIFO layers by age of receipt: 0-30, 31-60, 61-90 and over 90 days. */
export async function stockAgeing(db: Executor, schema: string, f: { asOf: string }) {
  const { rows } = await db.run<{ item_id: string; bucket: string; quantity: string; value: string }>(
    sql`SELECT item_id, CASE WHEN age <= 30 THEN '0-30' WHEN age <= 60 THEN '31-60' WHEN age <= 90 THEN '61-90' ELSE '90+' END AS bucket,
          sum(remaining)::text AS quantity, sum(remaining_value)::text AS value
        FROM (SELECT item_id, remaining, remaining_value, (${f.asOf}::date - posting_date) AS age
              FROM ${sql.id(schema, 'inv_layer')} WHERE remaining > 0) x
        GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  return rows.map((r) => ({ item: r.item_id, bucket: r.bucket, quantity: r.quantity, value: r.value }));
}
