/** Cancelling an ASN before receiving, or a delivery order before picking (its reservations released). */
import { sql } from '@tenon/db';
import type { CompiledEntity, RecordData } from '@tenon/design';
import { releaseReservationsIn } from '@tenon/inventory';
import { patchIn, reload, requireStatus, type Scope, t } from './records.ts';
import { cancelTask } from './tasks.ts';

export async function cancelAsn(s: Scope, entity: CompiledEntity, asn: RecordData): Promise<RecordData> {
  requireStatus('asn', asn, ['draft', 'submitted'], 'cancel');
  await cancelTask(s.tx, s.ctx, entity, asn.process_id as string | null);
  await patchIn(s, 'asn', asn.id as string, { status: 'cancelled' });
  return reload(s, 'asn', asn.id as string);
}

export async function cancelDelivery(s: Scope, order: RecordData): Promise<RecordData> {
  requireStatus('delivery_order', order, ['draft', 'reserved'], 'cancel');
  await releaseReservationsIn(s.tx, s.schema, { sourceType: 'delivery_order', sourceId: order.id as string });
  await s.tx.run(
    sql`UPDATE ${t(s, 'delivery_order_line')} SET reserved_qty = 0 WHERE parent_id = ${order.id as string}::uuid`,
  );
  await patchIn(s, 'delivery_order', order.id as string, { status: 'cancelled' });
  return reload(s, 'delivery_order', order.id as string);
}
