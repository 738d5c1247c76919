/**
 * Packing and shipping a picked delivery order. Pack records its cartons (weights, contents) and ends
 * the packer's task. Ship posts one issue move from the bins picked, each reservation consumed by its
 * first line (reservations with nothing picked are released), records the shipment (carrier,
 * tracking number) and opens a back-order for what was short.
 */
import { Decimal, parseDecimal } from '@tenon/core';
import { sql } from '@tenon/db';
import type { CompiledEntity, RecordData } from '@tenon/design';
import { postStockMoveIn, releaseReservationsIn } from '@tenon/inventory';
import { consumeConsigned } from './consignment.service.ts';
import {
  bad,
  businessDate,
  createIn,
  patchIn,
  reload,
  requireStatus,
  rows,
  type Scope,
  t,
} from './records.ts';
import { finishTask } from './tasks.ts';

type CartonInput = { weight: string; type?: string; contents?: { item: string; quantity: string }[] };

export async function packDelivery(
  s: Scope,
  entity: CompiledEntity,
  order: RecordData,
  body: unknown,
): Promise<RecordData> {
  requireStatus('delivery_order', order, ['picked'], 'pack');
  const cartons = ((body ?? {}) as { cartons?: unknown }).cartons;
  if (!Array.isArray(cartons) || cartons.length === 0) throw bad('cartons', 'pack into at least one carton');
  for (const [i, c] of (cartons as CartonInput[]).entries()) {
    const weight = parseDecimal(String(c?.weight ?? ''));
    if (!weight || weight.lte(0))
      throw bad(`cartons.${i + 1}.weight`, 'must be a positive decimal string (kg)');
    await createIn(s, 'carton', {
      delivery_order: order.id,
      weight_kg: weight.toFixed(),
      ...(c.type ? { carton_type: String(c.type).slice(0, 40) } : {}),
      contents: Array.isArray(c.contents) ? c.contents : null,
    });
  }
  await patchIn(s, 'delivery_order', order.id as string, { status: 'packed' });
  await finishTask(s.tx, s.ctx, entity, order.process_id as string | null);
  return reload(s, 'delivery_order', order.id as string);
}

type Picked = { location: string; item: string; lot: string | null; picked_qty: string; reservation: string };

export async function shipDelivery(s: Scope, order: RecordData, body: unknown): Promise<RecordData> {
  requireStatus('delivery_order', order, ['packed'], 'ship');
  const b = (body ?? {}) as Record<string, unknown>;
  const carrier = String(b.carrier ?? order.carrier ?? '').trim();
  const tracking = String(b.trackingNumber ?? '').trim();
  if (!carrier) throw bad('carrier', 'is required');
  if (!tracking) throw bad('trackingNumber', 'is required');
  const id = order.id as string;
  const picks = await rows<Picked>(
    s,
    sql`SELECT location, item, lot, picked_qty::text AS picked_qty, reservation FROM ${t(s, 'pick_list_line')}
        WHERE delivery_order = ${id}::uuid ORDER BY reservation, line_no`,
  );
  const named = new Set<string>();
  const lines = picks
    .filter((p) => new Decimal(p.picked_qty).gt(0))
    .map((p) => {
      const first = !named.has(p.reservation);
      named.add(p.reservation);
      return {
        item: p.item,
        fromLocation: p.location,
        lot: p.lot,
        quantity: p.picked_qty,
        ...(first ? { reservation: p.reservation } : {}),
      };
    });
  for (const r of new Set(picks.map((p) => p.reservation))) {
    if (!named.has(r)) await releaseReservationsIn(s.tx, s.schema, { id: r });
  }
  const shipment = await createIn(s, 'shipment', {
    delivery_order: id,
    carrier,
    tracking_number: tracking,
    shipped_at: s.ctx.clock.now().toISOString(),
  });
  let moveId: string | null = null;
  if (lines.length > 0) {
    moveId = (
      await postStockMoveIn(s.tx, s.schema, {
        idempotencyKey: `shipment:${id}`,
        moveType: 'issue',
        warehouse: order.warehouse as string,
        postingDate: businessDate(s.ctx),
        sourceType: 'delivery_order',
        sourceId: id,
        lines,
      })
    ).moveId;
  }
  // Consigned units of the shipped items are consumed first: what we now owe their suppliers.
  const shipped = new Map<string, Decimal>();
  for (const l of lines) shipped.set(l.item, (shipped.get(l.item) ?? new Decimal(0)).plus(l.quantity));
  for (const [item, quantity] of [...shipped].sort(([a], [b]) => (a < b ? -1 : 1)))
    await consumeConsigned(s, {
      item,
      warehouse: order.warehouse as string,
      quantity,
      sourceType: 'delivery_order',
      sourceId: id,
    });
  const weight = await rows<{ w: string | null }>(
    s,
    sql`UPDATE ${t(s, 'carton')} SET shipment = ${shipment.id as string}::uuid, updated_at = now()
        WHERE delivery_order = ${id}::uuid RETURNING weight_kg::text AS w`,
  );
  const total = weight.reduce((sum, r) => sum.plus(r.w ?? 0), new Decimal(0));
  await patchIn(s, 'shipment', shipment.id as string, {
    stock_move: moveId,
    total_weight_kg: total.toFixed(),
  });
  await openBackorder(s, order);
  await patchIn(s, 'delivery_order', id, { status: 'shipped', carrier });
  return reload(s, 'delivery_order', id);
}

async function openBackorder(s: Scope, order: RecordData): Promise<void> {
  if (order.allow_backorder === false) return;
  const short = await rows<{ item: string; missing: string }>(
    s,
    sql`SELECT item, (quantity - picked_qty)::text AS missing FROM ${t(s, 'delivery_order_line')}
        WHERE parent_id = ${order.id as string}::uuid AND quantity > picked_qty ORDER BY line_no`,
  );
  if (short.length === 0) return;
  await createIn(s, 'delivery_order', {
    customer: order.customer,
    ship_to: order.ship_to ?? null,
    warehouse: order.warehouse,
    carrier: order.carrier ?? null,
    route: order.route ?? null,
    priority: order.priority ?? 50,
    backorder_of: order.id,
    lines: short.map((l) => ({ item: l.item, quantity: l.missing })),
  });
}
