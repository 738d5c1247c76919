/**
 * Free stock per bin for picking: inventory's balances in storage and picking bins (read only), less
 * what open pick lines of orders not yet shipped already take (open lines by quantity, picked ones by
 * picked quantity: the units leave the ledger at shipment). In pick-sequence order.
 */
import { Decimal } from '@tenon/core';
import { sql } from '@tenon/db';
import { rows, type Scope, t } from './records.ts';

export const NIL = '00000000-0000-0000-0000-000000000000';

export type FreeBin = { location: string; code: string; item: string; lot: string; free: Decimal };

export async function freeBinStock(
  s: Scope,
  warehouse: string,
  items: readonly string[],
): Promise<FreeBin[]> {
  const found = await rows<{
    location: string;
    code: string;
    item: string;
    lot: string;
    on_hand: string;
    taken: string;
  }>(
    s,
    sql`SELECT b.location_id AS location, l.code, b.item_id AS item, b.lot_id AS lot, sum(b.on_hand)::text AS on_hand,
          coalesce((SELECT sum(CASE WHEN p.outcome = 'open' THEN p.quantity ELSE p.picked_qty END)
             FROM ${t(s, 'pick_list_line')} p JOIN ${t(s, 'delivery_order')} o ON o.id = p.delivery_order
             WHERE o.status IN ('waved', 'picked', 'packed') AND p.location = b.location_id AND p.item = b.item_id
               AND coalesce(p.lot, ${NIL}::uuid) = b.lot_id), 0)::text AS taken
        FROM ${t(s, 'inv_balance')} b JOIN ${t(s, 'location')} l ON l.id = b.location_id
        WHERE b.item_id = ANY(${[...new Set(items)]}::uuid[]) AND b.warehouse_id = ${warehouse}::uuid AND b.on_hand > 0
          AND coalesce(l.bin_type, 'storage') IN ('storage', 'picking')
        GROUP BY b.item_id, b.lot_id, b.location_id, l.code, l.pick_sequence
        ORDER BY l.pick_sequence NULLS LAST, l.code`,
  );
  return found
    .map((r) => ({
      location: r.location,
      code: r.code,
      item: r.item,
      lot: r.lot,
      free: new Decimal(r.on_hand).minus(r.taken),
    }))
    .filter((r) => r.free.gt(0));
}

/** The warehouse's quarantine bin (the first by code), if it has one. */
export async function quarantineBin(s: Scope, warehouse: string): Promise<string | undefined> {
  const found = await rows<{ id: string }>(
    s,
    sql`SELECT id FROM ${t(s, 'location')} WHERE warehouse = ${warehouse}::uuid
        AND bin_type = 'quarantine' AND active IS NOT FALSE ORDER BY code LIMIT 1`,
  );
  return found[0]?.id;
}
