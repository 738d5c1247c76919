/**
 * Cross-docking at receiving (decision 0068): delivery orders of the warehouse that wait for the item
 * (reserved with a back-ordered quantity, not yet waved) are the demand, most urgent first. On request,
 * the received units go from the receiving bin straight to the outbound dock (the first `shipping`
 * bin) by one transfer and are reserved there for those orders (the received lot), instead of being
 * put away; the wave release picks them at the dock.
 */
import { Decimal } from '@tenon/core';
import { type Database, sql } from '@tenon/db';
import { postStockMoveIn, reserveStockIn } from '@tenon/inventory';
import type { FreeBin } from './bin-stock.ts';
import { bad, businessDate, createIn, rows, type Scope, t } from './records.ts';

export type Waiting = { order: string; number: string; customer: string; line: string; quantity: string };

const demandQuery = (schema: string, warehouse: string, item: string) => {
  const q = (n: string) => sql.id(schema, n);
  return sql`SELECT o.id AS "order", o.number, o.customer, l.id AS line, trim_scale(l.backorder_qty)::text AS quantity
    FROM ${q('delivery_order')} o JOIN ${q('delivery_order_line')} l ON l.parent_id = o.id
    WHERE o.warehouse = ${warehouse}::uuid AND o.status = 'reserved' AND l.item = ${item}::uuid AND l.backorder_qty > 0
    ORDER BY o.priority DESC NULLS LAST, o.cutoff NULLS LAST, o.number, l.line_no`;
};

/** What waits for the item in the warehouse (the receive screen's suggestion). */
export async function crossDockDemand(
  db: Database,
  schema: string,
  k: { warehouse: string; item: string },
): Promise<Waiting[]> {
  return (await db.run<Waiting>(demandQuery(schema, k.warehouse, k.item))).rows;
}

/**
 * Sends up to `quantity` received units to the outbound dock for the waiting orders; returns how many
 * went (the rest is put away).
 */
export async function crossDockReceipt(
  s: Scope,
  input: {
    receipt: string;
    warehouse: string;
    from: string;
    item: string;
    lot: string | null;
    quantity: Decimal;
  },
): Promise<Decimal> {
  const demand = await rows<Waiting>(
    s,
    sql`${demandQuery(s.schema, input.warehouse, input.item)} FOR UPDATE OF l`,
  );
  const wanted = demand.reduce((sum, d) => sum.plus(d.quantity), new Decimal(0));
  const total = Decimal.min(wanted, input.quantity);
  if (total.lte(0)) return new Decimal(0);
  const outbound = (
    await rows<{ id: string }>(
      s,
      sql`SELECT id FROM ${t(s, 'location')} WHERE warehouse = ${input.warehouse}::uuid AND bin_type = 'shipping'
          AND active IS NOT FALSE ORDER BY code LIMIT 1`,
    )
  )[0];
  if (!outbound) throw bad('crossDock', 'the warehouse has no shipping bin to cross-dock to');
  await postStockMoveIn(s.tx, s.schema, {
    idempotencyKey: `goods_receipt:${input.receipt}:cross_dock`,
    moveType: 'transfer',
    warehouse: input.warehouse,
    postingDate: businessDate(s.ctx),
    sourceType: 'goods_receipt',
    sourceId: input.receipt,
    lines: [
      {
        item: input.item,
        fromLocation: input.from,
        toLocation: outbound.id,
        lot: input.lot,
        quantity: total.toFixed(),
      },
    ],
  });
  let left = total;
  for (const d of demand) {
    const q = Decimal.min(left, d.quantity);
    if (q.lte(0)) break;
    const r = await reserveStockIn(s.tx, s.schema, {
      item: input.item,
      warehouse: input.warehouse,
      quantity: q.toFixed(),
      lot: input.lot,
      sourceType: 'delivery_order',
      sourceId: d.order,
      allowPartial: true,
      today: businessDate(s.ctx),
    });
    await s.tx.run(
      sql`UPDATE ${t(s, 'delivery_order_line')} SET reserved_qty = reserved_qty + ${r.reserved}::numeric,
            backorder_qty = backorder_qty - ${r.reserved}::numeric, updated_at = now() WHERE id = ${d.line}::uuid`,
    );
    for (const res of r.reservations)
      await createIn(s, 'cross_dock', {
        receipt: input.receipt,
        delivery_order: d.order,
        order_line: d.line,
        item: input.item,
        lot: res.lot,
        location: outbound.id,
        quantity: res.quantity,
        reservation: res.id,
      });
    left = left.minus(r.reserved);
  }
  return total.minus(left);
}

/** Cross-docked units of the wave's orders at the dock, as bins their own reservations pick from. */
export async function dockedStock(s: Scope, wave: string): Promise<Map<string, FreeBin[]>> {
  const found = await rows<{
    reservation: string;
    location: string;
    code: string;
    item: string;
    lot: string | null;
    q: string;
  }>(
    s,
    sql`SELECT x.reservation, x.location, l.code, x.item, x.lot, sum(x.quantity)::text AS q
        FROM ${t(s, 'cross_dock')} x JOIN ${t(s, 'location')} l ON l.id = x.location
        JOIN ${t(s, 'delivery_order')} o ON o.id = x.delivery_order
        WHERE o.wave = ${wave}::uuid GROUP BY x.reservation, x.location, l.code, x.item, x.lot`,
  );
  const out = new Map<string, FreeBin[]>();
  for (const f of found)
    out.set(f.reservation, [
      ...(out.get(f.reservation) ?? []),
      { location: f.location, code: f.code, item: f.item, lot: f.lot ?? '', free: new Decimal(f.q) },
    ]);
  return out;
}
