/**
 * Receiving a transfer by scan at the receiving warehouse, like an ASN: the scanned item (or lot)
 * names a line in transit; the good units move from the in-transit location into the receiving bin
 * (damaged ones into the quarantine bin when there is one, else they stay in transit until closing)
 * and get putaway tasks. More than is still open on the line is refused. Closing (by hand, or by
 * itself when every unit is accounted for) writes off what is still in transit as missing.
 */
import { AppError, Decimal } from '@tenon/core';
import { sql } from '@tenon/db';
import type { CompiledEntity, RecordData } from '@tenon/design';
import { lookupScannedCode, postStockMoveIn } from '@tenon/inventory';
import { WmsErrors } from '../domain/errors.ts';
import { quarantineBin } from './bin-stock.ts';
import { planPutawayTasks } from './plan-putaway.service.ts';
import { parseReceiveInput } from './receive-asn.service.ts';
import { businessDate, createIn, patchIn, reload, requireStatus, rows, type Scope, t } from './records.ts';
import { finishTask } from './tasks.ts';

type Line = {
  id: string;
  item: string;
  lot: string | null;
  quantity: string;
  in_transit_qty: string;
  received_qty: string;
  damaged_qty: string;
};

const open = (l: Line) => new Decimal(l.quantity).minus(l.received_qty).minus(l.damaged_qty);

async function transitWarehouseOf(s: Scope, order: RecordData): Promise<string> {
  const found = await rows<{ warehouse: string }>(
    s,
    sql`SELECT warehouse FROM ${t(s, 'location')} WHERE id = ${order.transit_location as string}::uuid`,
  );
  return found[0]!.warehouse;
}

export async function receiveTransfer(
  s: Scope,
  entity: CompiledEntity,
  order: RecordData,
  body: unknown,
): Promise<RecordData> {
  requireStatus('transfer_order', order, ['shipped', 'receiving'], 'receive');
  const input = parseReceiveInput(body);
  const id = order.id as string;
  const hit = await lookupScannedCode(s.tx, s.schema, input.code);
  if (!hit?.item)
    throw new AppError(WmsErrors.WMS_SCAN_MISMATCH, {
      code: input.code,
      expected: 'an item of the transfer',
    });
  const lines = await rows<Line>(
    s,
    sql`SELECT id, item, lot, quantity::text AS quantity, in_transit_qty::text AS in_transit_qty,
          received_qty::text AS received_qty, damaged_qty::text AS damaged_qty
        FROM ${t(s, 'transfer_order_line')} WHERE parent_id = ${id}::uuid ORDER BY line_no FOR UPDATE`,
  );
  const line = lines.find(
    (l) => l.item === hit.item && (hit.entity !== 'lot' || l.lot === hit.id) && open(l).gt(0),
  );
  if (!line) throw new AppError(WmsErrors.WMS_NOT_ON_DOCUMENT, { item: hit.item });
  if (input.q.plus(input.d).gt(open(line)))
    throw new AppError(WmsErrors.WMS_OVER_RECEIPT, { open: open(line).toFixed() });
  const to = order.to_warehouse as string;
  const dock = order.receiving_location as string;
  const quarantine = input.d.gt(0) ? await quarantineBin(s, to) : undefined;
  const received = new Decimal(line.received_qty).plus(input.q);
  const damaged = new Decimal(line.damaged_qty).plus(input.d);
  const receipt = await createIn(s, 'goods_receipt', {
    transfer_order: id,
    item: line.item,
    lot: line.lot,
    location: dock,
    quantity: input.q.toFixed(),
    damaged_qty: input.d.toFixed(),
    variance: received.plus(damaged).lt(line.quantity) ? 'under' : 'none',
    scanned_code: input.code,
  });
  const base = { item: line.item, fromLocation: order.transit_location as string, lot: line.lot };
  const moveLines = [
    ...(input.q.gt(0) ? [{ ...base, toLocation: dock, quantity: input.q.toFixed() }] : []),
    ...(quarantine ? [{ ...base, toLocation: quarantine, quantity: input.d.toFixed() }] : []),
  ];
  const arrived = moveLines.reduce((sum, l) => sum.plus(l.quantity), new Decimal(0));
  if (moveLines.length > 0) {
    const { moveId } = await postStockMoveIn(s.tx, s.schema, {
      idempotencyKey: `goods_receipt:${receipt.id as string}`,
      moveType: 'transfer',
      warehouse: await transitWarehouseOf(s, order),
      postingDate: businessDate(s.ctx),
      sourceType: 'goods_receipt',
      sourceId: receipt.id as string,
      lines: moveLines,
    });
    await patchIn(s, 'goods_receipt', receipt.id as string, { stock_move: moveId });
  }
  await s.tx.run(
    sql`UPDATE ${t(s, 'transfer_order_line')} SET received_qty = ${received.toFixed()}::numeric,
          damaged_qty = ${damaged.toFixed()}::numeric, in_transit_qty = in_transit_qty - ${arrived.toFixed()}::numeric,
          updated_at = now() WHERE id = ${line.id}::uuid`,
  );
  if (input.q.gt(0)) {
    await planPutawayTasks(s, entity, {
      receipt: receipt.id as string,
      warehouse: to,
      dock,
      item: line.item,
      lot: line.lot,
      quantity: input.q.toFixed(),
    });
  }
  const done = lines.every((l) =>
    (l.id === line.id ? received.plus(damaged) : new Decimal(l.received_qty).plus(l.damaged_qty)).gte(
      l.quantity,
    ),
  );
  if (done) return closeTransfer(s, entity, { ...order, status: 'receiving' });
  if (order.status !== 'receiving') await patchIn(s, 'transfer_order', id, { status: 'receiving' });
  return reload(s, 'transfer_order', id);
}

/**
 * Closes receiving: what is still in transit (missing units, and damaged ones with no quarantine bin
 * to go to) is scrapped from the in-transit location, and each line records its missing quantity.
 */
export async function closeTransfer(
  s: Scope,
  entity: CompiledEntity,
  order: RecordData,
): Promise<RecordData> {
  requireStatus('transfer_order', order, ['shipped', 'receiving'], 'close');
  const id = order.id as string;
  const left = await rows<Line>(
    s,
    sql`SELECT id, item, lot, quantity::text AS quantity, in_transit_qty::text AS in_transit_qty,
          received_qty::text AS received_qty, damaged_qty::text AS damaged_qty
        FROM ${t(s, 'transfer_order_line')} WHERE parent_id = ${id}::uuid AND in_transit_qty > 0
        ORDER BY line_no FOR UPDATE`,
  );
  if (left.length > 0) {
    await postStockMoveIn(s.tx, s.schema, {
      idempotencyKey: `transfer_order:${id}:close`,
      moveType: 'scrap',
      warehouse: await transitWarehouseOf(s, order),
      postingDate: businessDate(s.ctx),
      sourceType: 'transfer_order',
      sourceId: id,
      lines: left.map((l) => ({
        item: l.item,
        fromLocation: order.transit_location as string,
        lot: l.lot,
        quantity: l.in_transit_qty,
      })),
    });
  }
  await s.tx.run(
    sql`UPDATE ${t(s, 'transfer_order_line')} SET lost_qty = quantity - received_qty - damaged_qty,
          in_transit_qty = 0, updated_at = now() WHERE parent_id = ${id}::uuid`,
  );
  await patchIn(s, 'transfer_order', id, { status: 'received' });
  await finishTask(s.tx, s.ctx, entity, order.process_id as string | null);
  return reload(s, 'transfer_order', id);
}
