/**
 * Confirming a pick by scan: the picker scans the bin and the item and enters the quantity taken.
 * It fills the open lines of that bin and item in walking order, order by order. A short pick
 * (domain `decideShortPick`) back-orders the missing quantity when the order allows it, otherwise it
 * opens an exception task for a supervisor. When the list is done its task ends; an order whose picks
 * are all done is ready for packing (a packer's task), and the wave is picked when all its orders are.
 */
import { AppError, Decimal, newId, parseDecimal } from '@tenon/core';
import { sql } from '@tenon/db';
import { actorStamp, type CompiledEntity, type RecordData } from '@tenon/design';
import { lookupScannedCode } from '@tenon/inventory';
import { WmsErrors } from '../domain/errors.ts';
import { decideShortPick } from '../domain/short-pick.ts';
import { freeBinStock, NIL } from './bin-stock.ts';
import { scannedBin } from './confirm-putaway.service.ts';
import { bad, patchIn, reload, requireStatus, rows, type Scope, t } from './records.ts';
import { finishTask, openTask } from './tasks.ts';

type Line = {
  lot: string | null;
  reservation: string;
  tote: number | null;
  id: string;
  sequence: number;
  item: string;
  quantity: string;
  delivery_order: string;
  allow_backorder: boolean | null;
};

export async function confirmPick(
  s: Scope,
  entity: CompiledEntity,
  list: RecordData,
  body: unknown,
): Promise<RecordData> {
  requireStatus('pick_list', list, ['open', 'picking'], 'confirm a pick');
  const b = (body ?? {}) as Record<string, unknown>;
  const bin = await scannedBin(s, list.warehouse as string, b.location);
  const hit = typeof b.code === 'string' ? await lookupScannedCode(s.tx, s.schema, b.code) : null;
  if (!hit?.item)
    throw new AppError(WmsErrors.WMS_SCAN_MISMATCH, { code: String(b.code ?? ''), expected: 'an item' });
  const picked = parseDecimal(String(b.quantity ?? ''));
  if (!picked || picked.lt(0)) throw bad('quantity', 'must be a decimal string >= 0');
  const lines = await rows<Line>(
    s,
    sql`SELECT p.id, p.sequence, p.item, p.lot, p.reservation, p.tote, p.quantity::text AS quantity, p.delivery_order, o.allow_backorder
        FROM ${t(s, 'pick_list_line')} p JOIN ${t(s, 'delivery_order')} o ON o.id = p.delivery_order
        WHERE p.parent_id = ${list.id as string}::uuid AND p.location = ${bin}::uuid AND p.outcome = 'open'
        ORDER BY p.sequence, p.line_no FOR UPDATE OF p`,
  );
  const mine = lines.filter((l) => l.item === hit.item);
  if (mine.length === 0)
    throw new AppError(WmsErrors.WMS_SCAN_MISMATCH, {
      code: String(b.code),
      expected: 'an item to pick at this bin',
    });
  const requested = mine.reduce((sum, l) => sum.plus(l.quantity), new Decimal(0));
  decideShortPick({
    requested: requested.toFixed(),
    picked: picked.toFixed(),
    policy: { allowBackorder: true, alternativeAvailable: '0' },
  });
  let left = picked;
  for (const line of mine) {
    const got = Decimal.min(left, line.quantity);
    left = left.minus(got);
    const decision = decideShortPick({
      requested: line.quantity,
      picked: got.toFixed(),
      policy: {
        allowBackorder: line.allow_backorder !== false,
        alternativeAvailable: got.lt(line.quantity)
          ? (await alternatives(s, list, line, bin)).total.toFixed()
          : '0',
      },
    });
    await s.tx.run(
      sql`UPDATE ${t(s, 'pick_list_line')} SET picked_qty = ${got.toFixed()}::numeric,
            outcome = ${decision.kind === 'complete' ? 'picked' : 'short'}, updated_at = now() WHERE id = ${line.id}::uuid`,
    );
    await addToOrderLine(s, line, got, decision.kind === 'backorder' ? decision.shortQuantity : '0');
    if (decision.kind === 'repick') await repick(s, list, line, bin, new Decimal(decision.shortQuantity));
    if (decision.kind === 'exception') {
      await openTask(s.tx, s.ctx, entity, {
        service: 'wms_exception',
        entity: 'pick_list',
        recordId: list.id as string,
        context: {
          deliveryOrder: line.delivery_order,
          item: line.item,
          bin,
          short: decision.shortQuantity,
          reason: decision.reason,
        },
      });
    }
  }
  return afterPick(s, entity, list);
}

/** Free stock of the line's item and lot in other bins (less what open picks there already take). */
async function alternatives(s: Scope, list: RecordData, line: Line, bin: string) {
  const bins = (await freeBinStock(s, list.warehouse as string, [line.item])).filter(
    (b) => b.location !== bin && b.lot === (line.lot ?? NIL),
  );
  return { bins, total: bins.reduce((sum, b) => sum.plus(b.free), new Decimal(0)) };
}

/** The missing units are picked from other bins: new lines at the end of the same walk. */
async function repick(s: Scope, list: RecordData, line: Line, bin: string, short: Decimal): Promise<void> {
  const { bins } = await alternatives(s, list, line, bin);
  const [last] = await rows<{ sequence: number; line_no: number }>(
    s,
    sql`SELECT max(sequence)::int AS sequence, max(line_no)::int AS line_no FROM ${t(s, 'pick_list_line')}
        WHERE parent_id = ${list.id as string}::uuid`,
  );
  let left = short;
  let n = 0;
  for (const b of bins) {
    if (left.lte(0)) break;
    const q = Decimal.min(left, b.free);
    left = left.minus(q);
    n++;
    // A bin already on the walk for this item keeps its place; others go at the end.
    const [same] = await rows<{ sequence: number }>(
      s,
      sql`SELECT min(sequence)::int AS sequence FROM ${t(s, 'pick_list_line')} WHERE parent_id = ${list.id as string}::uuid
            AND location = ${b.location}::uuid AND item = ${line.item}::uuid AND outcome = 'open'`,
    );
    const sequence = same?.sequence ?? last!.sequence + n;
    await s.tx.run(
      sql`INSERT INTO ${t(s, 'pick_list_line')} (id, parent_id, parent_field, line_no, sequence, location, item, lot,
            quantity, picked_qty, delivery_order, reservation, tote, outcome, created_by, updated_by)
          VALUES (${newId()}::uuid, ${list.id as string}::uuid, 'lines', ${last!.line_no + n}, ${sequence},
            ${b.location}::uuid, ${line.item}::uuid, ${line.lot}::uuid, ${q.toFixed()}::numeric, 0, ${line.delivery_order}::uuid,
            ${line.reservation}, ${line.tote}, 'open', ${actorStamp(s.ctx.actor)}, ${actorStamp(s.ctx.actor)})`,
    );
  }
}

/** Adds the picked (and back-ordered) quantity to the order lines of the item, in line order. */
async function addToOrderLine(s: Scope, line: Line, got: Decimal, short: string): Promise<void> {
  const orderLines = await rows<{ id: string; quantity: string; picked_qty: string }>(
    s,
    sql`SELECT id, quantity::text AS quantity, picked_qty::text AS picked_qty FROM ${t(s, 'delivery_order_line')}
        WHERE parent_id = ${line.delivery_order}::uuid AND item = ${line.item}::uuid ORDER BY line_no FOR UPDATE`,
  );
  let left = got;
  let shortLeft = new Decimal(short);
  for (const [i, ol] of orderLines.entries()) {
    const last = i === orderLines.length - 1;
    const room = new Decimal(ol.quantity).minus(ol.picked_qty);
    const add = last ? left : Decimal.min(left, Decimal.max(room, 0));
    left = left.minus(add);
    const back = last ? shortLeft : Decimal.min(shortLeft, Decimal.max(room.minus(add), 0));
    shortLeft = shortLeft.minus(back);
    await s.tx.run(
      sql`UPDATE ${t(s, 'delivery_order_line')} SET picked_qty = picked_qty + ${add.toFixed()}::numeric,
            backorder_qty = backorder_qty + ${back.toFixed()}::numeric, updated_at = now() WHERE id = ${ol.id}::uuid`,
    );
  }
}

async function afterPick(s: Scope, entity: CompiledEntity, list: RecordData): Promise<RecordData> {
  const open = await rows<{ n: number }>(
    s,
    sql`SELECT count(*)::int AS n FROM ${t(s, 'pick_list_line')} WHERE parent_id = ${list.id as string}::uuid AND outcome = 'open'`,
  );
  if (open[0]!.n > 0) {
    if (list.status === 'open') await patchIn(s, 'pick_list', list.id as string, { status: 'picking' });
    return reload(s, 'pick_list', list.id as string);
  }
  await patchIn(s, 'pick_list', list.id as string, { status: 'done' });
  await finishTask(s.tx, s.ctx, entity, list.process_id as string | null);
  const ready = await rows<{ id: string }>(
    s,
    sql`SELECT o.id FROM ${t(s, 'delivery_order')} o
        WHERE o.status = 'waved' AND o.id IN (SELECT delivery_order FROM ${t(s, 'pick_list_line')} WHERE parent_id = ${list.id as string}::uuid)
          AND NOT EXISTS (SELECT 1 FROM ${t(s, 'pick_list_line')} p WHERE p.delivery_order = o.id AND p.outcome = 'open')
        ORDER BY o.number`,
  );
  for (const o of ready) {
    const pid = await openTask(s.tx, s.ctx, entity, {
      service: 'wms_pack',
      entity: 'delivery_order',
      recordId: o.id,
    });
    await patchIn(s, 'delivery_order', o.id, { status: 'picked', process_id: pid });
  }
  const waveOpen = await rows<{ n: number }>(
    s,
    sql`SELECT count(*)::int AS n FROM ${t(s, 'pick_list')} WHERE wave = ${list.wave as string}::uuid AND status <> 'done'`,
  );
  if (waveOpen[0]!.n === 0) await patchIn(s, 'wave', list.wave as string, { status: 'picked' });
  return reload(s, 'pick_list', list.id as string);
}
