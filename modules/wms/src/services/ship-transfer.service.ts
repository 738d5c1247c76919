/**
 * Shipping a transfer order: every line leaves its bin of the sending warehouse by one transfer into
 * the company's in-transit location towards the receiving warehouse (value-neutral inside one
 * company), the lines go in transit, and the receiving warehouse's clerks get a receive task.
 */
import { Decimal } from '@tenon/core';
import { sql } from '@tenon/db';
import type { CompiledEntity, RecordData } from '@tenon/design';
import { postStockMoveIn } from '@tenon/inventory';
import { bad, businessDate, patchIn, reload, requireStatus, rows, type Scope, t } from './records.ts';
import { cancelTask, openTask } from './tasks.ts';
import { transitLocation } from './transit.service.ts';

type Line = {
  id: string;
  item: string;
  lot: string | null;
  from_location: string;
  quantity: string;
  tracking: string;
};

export async function shipTransfer(s: Scope, entity: CompiledEntity, order: RecordData): Promise<RecordData> {
  requireStatus('transfer_order', order, ['draft'], 'ship');
  const id = order.id as string;
  const from = order.from_warehouse as string;
  const to = order.to_warehouse as string;
  if (from === to) throw bad('to_warehouse', 'must differ from the sending warehouse');
  const houses = await rows<{ id: string; company: string }>(
    s,
    sql`SELECT id, company FROM ${t(s, 'warehouse')} WHERE id = ANY(${[from, to]}::uuid[])`,
  );
  const company = houses.find((h) => h.id === from)!.company;
  if (houses.find((h) => h.id === to)!.company !== company)
    throw bad('to_warehouse', 'a transfer stays inside one company');
  const lines = await rows<Line>(
    s,
    sql`SELECT l.id, l.item, l.lot, l.from_location, l.quantity::text AS quantity, i.tracking
        FROM ${t(s, 'transfer_order_line')} l JOIN ${t(s, 'item')} i ON i.id = l.item
        WHERE l.parent_id = ${id}::uuid ORDER BY l.line_no FOR UPDATE OF l`,
  );
  if (lines.length === 0) throw bad('lines', 'a transfer needs at least one line');
  for (const l of lines) {
    if (!new Decimal(l.quantity).gt(0)) throw bad('lines.quantity', 'must be positive');
    if (l.tracking === 'serial')
      throw bad('lines.item', 'serial-tracked items are not transferred between warehouses yet');
  }
  const receiving = (
    await rows<{ id: string }>(
      s,
      sql`SELECT id FROM ${t(s, 'location')} WHERE warehouse = ${to}::uuid AND bin_type = 'receiving'
          AND active IS NOT FALSE ORDER BY code LIMIT 1`,
    )
  )[0];
  if (!receiving) throw bad('to_warehouse', 'the receiving warehouse has no receiving bin');
  const transit = await transitLocation(s, { company, toWarehouse: to });
  await postStockMoveIn(s.tx, s.schema, {
    idempotencyKey: `transfer_order:${id}:ship`,
    moveType: 'transfer',
    warehouse: from,
    postingDate: businessDate(s.ctx),
    sourceType: 'transfer_order',
    sourceId: id,
    lines: lines.map((l) => ({
      item: l.item,
      fromLocation: l.from_location,
      toLocation: transit.location,
      lot: l.lot,
      quantity: l.quantity,
    })),
  });
  await s.tx.run(
    sql`UPDATE ${t(s, 'transfer_order_line')} SET in_transit_qty = quantity, updated_at = now()
        WHERE parent_id = ${id}::uuid`,
  );
  const pid = await openTask(s.tx, s.ctx, entity, {
    service: 'wms_receive_transfer',
    entity: 'transfer_order',
    recordId: id,
  });
  await patchIn(s, 'transfer_order', id, {
    status: 'shipped',
    transit_location: transit.location,
    receiving_location: receiving.id,
    shipped_at: s.ctx.clock.now().toISOString(),
    process_id: pid,
  });
  return reload(s, 'transfer_order', id);
}

/** A draft transfer is cancelled; a shipped one is closed instead (what did not arrive is written off). */
export async function cancelTransfer(
  s: Scope,
  entity: CompiledEntity,
  order: RecordData,
): Promise<RecordData> {
  requireStatus('transfer_order', order, ['draft'], 'cancel');
  await patchIn(s, 'transfer_order', order.id as string, { status: 'cancelled' });
  await cancelTask(s.tx, s.ctx, entity, order.process_id as string | null);
  return reload(s, 'transfer_order', order.id as string);
}
