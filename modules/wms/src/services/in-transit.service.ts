/** Stock on the road: the lines of shipped transfers still in transit, per order, item and lot. */
import type { Database } from '@tenon/db';
import { sql } from '@tenon/db';

export type InTransitRow = {
  transferOrder: string;
  number: string;
  fromWarehouse: string;
  toWarehouse: string;
  item: string;
  lot: string | null;
  quantity: string;
  shippedAt: string | null;
  expectedDate: string | null;
};

/** Open in-transit quantities, optionally of transfers from or to one warehouse. */
export async function inTransit(db: Database, schema: string, warehouse?: string): Promise<InTransitRow[]> {
  const t = (n: string) => sql.id(schema, n);
  const { rows } = await db.run<InTransitRow>(
    sql`SELECT o.id AS "transferOrder", o.number, o.from_warehouse AS "fromWarehouse", o.to_warehouse AS "toWarehouse",
          l.item, l.lot, trim_scale(l.in_transit_qty)::text AS quantity, o.shipped_at AS "shippedAt",
          o.expected_date::text AS "expectedDate"
        FROM ${t('transfer_order')} o JOIN ${t('transfer_order_line')} l ON l.parent_id = o.id
        WHERE o.status IN ('shipped', 'receiving') AND l.in_transit_qty > 0
          AND (${warehouse ?? null}::uuid IS NULL OR ${warehouse ?? null}::uuid IN (o.from_warehouse, o.to_warehouse))
        ORDER BY o.number, l.line_no`,
  );
  return rows.map((r) => ({
    ...r,
    shippedAt: r.shippedAt ? new Date(r.shippedAt).toISOString() : null,
  }));
}
