/**
 * Reserving a delivery order's lines through inventory (first-expiring lots first). With
 * back-orders allowed a shortfall is recorded on the line; otherwise it refuses the whole order.
 */
import { Decimal } from '@tenon/core';
import { sql } from '@tenon/db';
import type { RecordData } from '@tenon/design';
import { reserveStockIn } from '@tenon/inventory';
import { bad, businessDate, patchIn, reload, requireStatus, rows, type Scope, t } from './records.ts';

export async function reserveDelivery(s: Scope, order: RecordData): Promise<RecordData> {
  requireStatus('delivery_order', order, ['draft'], 'reserve');
  const lines = await rows<{ id: string; item: string; quantity: string }>(
    s,
    sql`SELECT id, item, quantity::text AS quantity FROM ${t(s, 'delivery_order_line')}
        WHERE parent_id = ${order.id as string}::uuid ORDER BY line_no`,
  );
  if (lines.length === 0) throw bad('lines', 'a delivery order needs at least one line');
  for (const line of lines) {
    if (!new Decimal(line.quantity).gt(0)) throw bad('lines.quantity', 'must be positive');
    const r = await reserveStockIn(s.tx, s.schema, {
      item: line.item,
      warehouse: order.warehouse as string,
      quantity: line.quantity,
      sourceType: 'delivery_order',
      sourceId: order.id as string,
      allowPartial: order.allow_backorder !== false,
      today: businessDate(s.ctx),
    });
    await s.tx.run(
      sql`UPDATE ${t(s, 'delivery_order_line')} SET reserved_qty = ${r.reserved}::numeric,
            backorder_qty = ${r.backorder}::numeric, updated_at = now() WHERE id = ${line.id}::uuid`,
    );
  }
  await patchIn(s, 'delivery_order', order.id as string, { status: 'reserved' });
  return reload(s, 'delivery_order', order.id as string);
}
