/**
 * Releasing a wave: each order's reservations are placed on bins holding the reserved item and lot
 * (inventory balances, read only, less what open pick lists already take), then turned into pick
 * lists of the wave's kind (batch by default: one walk for many orders) with optimised routes
 * (domain `buildPickLists`). Every list reports its walk against the naive location-name order and
 * becomes a picker's kernel task.
 */
import { AppError, Decimal } from '@tenon/core';
import { sql } from '@tenon/db';
import type { CompiledEntity, RecordData } from '@tenon/design';
import { WmsErrors } from '../domain/errors.ts';
import { buildPickLists, type PickListKind } from '../domain/pick-lists.ts';
import type { WaveOrder } from '../domain/waves.ts';
import { type FreeBin, freeBinStock, NIL } from './bin-stock.ts';
import { dockedStock } from './cross-dock.service.ts';
import { createIn, patchIn, reload, requireStatus, rows, type Scope, t } from './records.ts';
import { openTask } from './tasks.ts';
import { loadWarehouseLayout } from './warehouse-layout.ts';

type Reservation = {
  id: string;
  order_id: string;
  item_id: string;
  lot_id: string;
  quantity: string;
  uom: string;
};

export async function releaseWave(s: Scope, entity: CompiledEntity, wave: RecordData): Promise<RecordData> {
  requireStatus('wave', wave, ['planned'], 'release');
  const warehouse = wave.warehouse as string;
  const reservations = await rows<Reservation>(
    s,
    sql`SELECT r.id, o.id AS order_id, r.item_id, r.lot_id, r.quantity::text AS quantity, i.base_uom AS uom
        FROM ${t(s, 'delivery_order')} o
        JOIN ${t(s, 'inv_reservation')} r ON r.source_type = 'delivery_order' AND r.source_id = o.id::text AND r.status = 'active'
        JOIN ${t(s, 'item')} i ON i.id = r.item_id
        WHERE o.wave = ${wave.id as string}::uuid ORDER BY o.priority DESC NULLS LAST, o.number, r.item_id, r.id`,
  );
  const orders = new Map<string, WaveOrder>();
  const reservationOf = new Map<string, Reservation>();
  // Every bin holding a reserved item of the wave, in one read, in pick-sequence order.
  const binsOf = new Map<string, FreeBin[]>();
  for (const b of await freeBinStock(
    s,
    warehouse,
    reservations.map((r) => r.item_id),
  )) {
    const key = `${b.item}|${b.lot}`;
    const list = binsOf.get(key);
    if (list) list.push(b);
    else binsOf.set(key, [b]);
  }
  // Cross-docked units wait at the outbound dock for their own reservations (decision 0068).
  const docked = await dockedStock(s, wave.id as string);
  for (const r of reservations) {
    const bins = [...(docked.get(r.id) ?? []), ...(binsOf.get(`${r.item_id}|${r.lot_id}`) ?? [])];
    let left = new Decimal(r.quantity);
    const order = orders.get(r.order_id) ?? {
      id: r.order_id,
      carrier: '',
      route: '',
      priority: 0,
      cutoff: '',
      lines: [],
    };
    for (const bin of bins) {
      if (left.lte(0)) break;
      const q = Decimal.min(bin.free, left);
      if (q.lte(0)) continue;
      bin.free = bin.free.minus(q);
      left = left.minus(q);
      const lineId = `${r.id}#${order.lines.length}`;
      reservationOf.set(lineId, r);
      order.lines.push({
        lineId,
        item: r.item_id,
        ...(r.lot_id !== NIL ? { lot: r.lot_id } : {}),
        bin: bin.code,
        quantity: q.toFixed(),
        uom: r.uom,
      });
    }
    if (left.gt(0)) throw new AppError(WmsErrors.WMS_NO_BIN_STOCK, { item: r.item_id });
    orders.set(r.order_id, order);
  }
  const wl = await loadWarehouseLayout(s, warehouse);
  const kind = (wave.pick_kind as PickListKind | null) ?? 'batch';
  const plan = buildPickLists(wl.layout, [...orders.values()], {
    kind,
    ...(wave.orders_per_list
      ? { ordersPerList: Number(wave.orders_per_list) }
      : kind === 'cluster'
        ? { ordersPerList: 8 }
        : {}),
  });
  let total = new Decimal(0);
  let naive = new Decimal(0);
  for (const list of plan.lists) {
    const lines = list.picks.flatMap((pick, i) =>
      pick.splits.map((split) => {
        const r = reservationOf.get(split.lineId)!;
        return {
          sequence: i + 1,
          location: wl.idOf.get(pick.bin),
          item: pick.item,
          lot: pick.lot ?? null,
          quantity: split.quantity,
          delivery_order: split.orderId,
          reservation: r.id,
          ...(split.tote ? { tote: split.tote } : {}),
        };
      }),
    );
    const created = await createIn(s, 'pick_list', {
      wave: wave.id,
      warehouse,
      kind,
      ...(list.zone ? { zone: list.zone } : {}),
      route_method: list.route.method,
      route_length: list.route.length.toFixed(2),
      naive_length: list.route.naiveLength.toFixed(2),
      lines,
    });
    const pid = await openTask(s.tx, s.ctx, entity, {
      service: 'wms_pick',
      entity: 'pick_list',
      recordId: created.id as string,
    });
    await patchIn(s, 'pick_list', created.id as string, { process_id: pid });
    total = total.plus(list.route.length.toFixed(2));
    naive = naive.plus(list.route.naiveLength.toFixed(2));
  }
  await patchIn(s, 'wave', wave.id as string, {
    status: 'released',
    route_length: total.toFixed(2),
    naive_length: naive.toFixed(2),
  });
  return reload(s, 'wave', wave.id as string);
}
