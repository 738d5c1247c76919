/**
 * Receiving by scan: the scanned code names an item (or a lot) on the ASN; the accepted quantity is
 * posted as a receipt into the receiving bin (damaged units into a quarantine bin when the warehouse
 * has one), the lot is captured, over / under is recorded, and putaway tasks are opened on the bins
 * the putaway rules suggest. The ASN closes itself when every line is fully received.
 */
import { AppError, Decimal, parseDecimal } from '@tenon/core';
import { sql } from '@tenon/db';
import type { CompiledEntity, RecordData } from '@tenon/design';
import { lookupScannedCode, postStockMoveIn } from '@tenon/inventory';
import { WmsErrors } from '../domain/errors.ts';
import { quarantineBin } from './bin-stock.ts';
import { captureSerials, linesFor, serialList } from './capture-serials.ts';
import { consignmentAgreement, recordConsignedReceipt } from './consignment.service.ts';
import { crossDockReceipt } from './cross-dock.service.ts';
import { planPutawayTasks } from './plan-putaway.service.ts';
import {
  bad,
  businessDate,
  createIn,
  one,
  patchIn,
  reload,
  requireStatus,
  rows,
  type Scope,
  t,
} from './records.ts';
import { finishTask } from './tasks.ts';

export type ReceiveInput = {
  code: string;
  quantity: string;
  damaged?: string;
  lotNo?: string;
  expiresOn?: string;
  /** Serial-tracked items: one scanned serial per accepted unit, and per damaged unit. */
  serials?: string[];
  damagedSerials?: string[];
  /** Send the accepted units to the outbound dock for orders waiting for the item (decision 0068). */
  crossDock?: boolean;
};

type AsnLine = {
  id: string;
  item: string;
  quantity: string;
  received_qty: string;
  damaged_qty: string;
  lot_no: string | null;
  expires_on: string | null;
};

export function parseReceiveInput(body: unknown): ReceiveInput & { q: Decimal; d: Decimal } {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.code !== 'string' || b.code.trim() === '') throw bad('code', 'scan a barcode');
  const q = parseDecimal(String(b.quantity ?? ''));
  if (!q || q.lt(0)) throw bad('quantity', 'must be a decimal string >= 0');
  const d = b.damaged === undefined ? new Decimal(0) : parseDecimal(String(b.damaged));
  if (!d || d.lt(0)) throw bad('damaged', 'must be a decimal string >= 0');
  if (q.plus(d).lte(0)) throw bad('quantity', 'nothing received');
  if (b.expiresOn !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(b.expiresOn)))
    throw bad('expiresOn', 'must be YYYY-MM-DD');
  return { ...(b as ReceiveInput), q, d };
}

async function lotFor(s: Scope, item: string, lotNo: string, expiresOn: string | null): Promise<string> {
  const found = await rows<{ id: string }>(
    s,
    sql`SELECT id FROM ${t(s, 'lot')} WHERE item = ${item}::uuid AND supplier_lot = ${lotNo} LIMIT 1`,
  );
  if (found[0]) return found[0].id;
  return (
    await createIn(s, 'lot', { item, supplier_lot: lotNo, ...(expiresOn ? { expires_on: expiresOn } : {}) })
  ).id as string;
}

export async function receiveAsn(
  s: Scope,
  entity: CompiledEntity,
  asn: RecordData,
  body: unknown,
): Promise<RecordData> {
  requireStatus('asn', asn, ['submitted', 'receiving'], 'receive');
  const input = parseReceiveInput(body);
  const hit = await lookupScannedCode(s.tx, s.schema, input.code);
  if (!hit?.item)
    throw new AppError(WmsErrors.WMS_SCAN_MISMATCH, { code: input.code, expected: 'an item on the ASN' });
  const lines = await rows<AsnLine>(
    s,
    sql`SELECT id, item, quantity::text AS quantity, received_qty::text AS received_qty, damaged_qty::text AS damaged_qty,
          lot_no, expires_on::text AS expires_on
        FROM ${t(s, 'asn_line')} WHERE parent_id = ${asn.id as string}::uuid ORDER BY line_no FOR UPDATE`,
  );
  const ofItem = lines.filter((l) => l.item === hit.item);
  const open = (l: AsnLine) => new Decimal(l.quantity).minus(l.received_qty).minus(l.damaged_qty);
  const line = ofItem.find((l) => open(l).gt(0)) ?? ofItem[ofItem.length - 1];
  if (!line) throw new AppError(WmsErrors.WMS_NOT_ON_DOCUMENT, { item: hit.item });
  const item = await one<{ tracking: string }>(s, 'item', line.item);
  const lotNo = input.lotNo || line.lot_no;
  if (item.tracking === 'lot' && !lotNo) throw bad('lotNo', 'the item is lot-tracked: capture its lot');
  const lot =
    hit.entity === 'lot'
      ? hit.id
      : item.tracking === 'lot'
        ? await lotFor(s, line.item, lotNo!, input.expiresOn ?? line.expires_on)
        : null;
  const serial = item.tracking === 'serial';
  const accSerials = serial ? serialList(input.serials, 'serials', input.q) : [];
  const dmgSerials = serial ? serialList(input.damagedSerials, 'damagedSerials', input.d) : [];
  const received = new Decimal(line.received_qty).plus(input.q);
  const damaged = new Decimal(line.damaged_qty).plus(input.d);
  const total = received.plus(damaged);
  const variance = total.gt(line.quantity) ? 'over' : total.lt(line.quantity) ? 'under' : 'none';
  const hold = asn.quality_hold === true && input.q.gt(0);
  const quarantine = input.d.gt(0) || hold ? await quarantineBin(s, asn.warehouse as string) : undefined;
  if (hold && !quarantine) throw bad('quality_hold', 'the warehouse has no quarantine bin');
  if (input.crossDock === true && (hold || serial))
    throw bad('crossDock', hold ? 'the ASN is on quality hold' : 'serial-tracked units are put away');
  const accepted = hold ? quarantine! : (asn.receiving_location as string);
  // Damaged serials are created only when they go into stock (a quarantine bin).
  const captured = await captureSerials(s, {
    item: line.item,
    lot,
    serials: [...accSerials, ...(quarantine ? dmgSerials : [])],
  });
  const accCaptured = captured.slice(0, accSerials.length);
  const receipt = await createIn(s, 'goods_receipt', {
    asn: asn.id,
    item: line.item,
    lot,
    location: accepted,
    quantity: input.q.toFixed(),
    damaged_qty: input.d.toFixed(),
    variance,
    scanned_code: input.code,
    ...(serial ? { serials: { accepted: accSerials, damaged: dmgSerials } } : {}),
  });
  // Consigned stock is the supplier's: it enters inventory at zero value (decision 0066).
  const consigned = await consignmentAgreement(s, {
    supplier: asn.supplier as string,
    item: line.item,
    warehouse: asn.warehouse as string,
  });
  const cost = consigned ? { unitCost: '0' } : {};
  const moveLines = [
    ...(input.q.gt(0)
      ? linesFor(
          { item: line.item, toLocation: accepted, lot, quantity: input.q.toFixed(), ...cost },
          accCaptured,
        )
      : []),
    ...(quarantine && input.d.gt(0)
      ? linesFor(
          { item: line.item, toLocation: quarantine, lot, quantity: input.d.toFixed(), ...cost },
          captured.slice(accSerials.length),
        )
      : []),
  ];
  if (moveLines.length > 0) {
    const { moveId } = await postStockMoveIn(s.tx, s.schema, {
      idempotencyKey: `goods_receipt:${receipt.id as string}`,
      moveType: 'receipt',
      warehouse: asn.warehouse as string,
      postingDate: businessDate(s.ctx),
      sourceType: 'goods_receipt',
      sourceId: receipt.id as string,
      lines: moveLines,
    });
    if (consigned && input.q.gt(0))
      await recordConsignedReceipt(s, {
        agreement: consigned,
        item: line.item,
        warehouse: asn.warehouse as string,
        quantity: input.q.toFixed(),
        sourceId: receipt.id as string,
      });
    await patchIn(s, 'goods_receipt', receipt.id as string, {
      stock_move: moveId,
      ...(hold ? { quality: 'held' } : {}),
    });
  }
  await s.tx.run(
    sql`UPDATE ${t(s, 'asn_line')} SET received_qty = ${received.toFixed()}::numeric, damaged_qty = ${damaged.toFixed()}::numeric,
          updated_at = now() WHERE id = ${line.id}::uuid`,
  );
  const crossed =
    input.crossDock === true && input.q.gt(0)
      ? await crossDockReceipt(s, {
          receipt: receipt.id as string,
          warehouse: asn.warehouse as string,
          from: accepted,
          item: line.item,
          lot,
          quantity: input.q,
        })
      : new Decimal(0);
  if (input.q.gt(crossed) && !hold) {
    await planPutawayTasks(s, entity, {
      receipt: receipt.id as string,
      warehouse: asn.warehouse as string,
      dock: asn.receiving_location as string,
      item: line.item,
      lot,
      quantity: input.q.minus(crossed).toFixed(),
      serials: accCaptured,
    });
  }
  const done = lines.every((l) =>
    (l.id === line.id ? total : new Decimal(l.received_qty).plus(l.damaged_qty)).gte(l.quantity),
  );
  if (done) return closeAsn(s, entity, { ...asn, status: 'receiving' });
  if (asn.status !== 'receiving') await patchIn(s, 'asn', asn.id as string, { status: 'receiving' });
  return reload(s, 'asn', asn.id as string);
}

/** Closes receiving (also with lines short: the rest is not coming) and finishes the receive task. */
export async function closeAsn(s: Scope, entity: CompiledEntity, asn: RecordData): Promise<RecordData> {
  requireStatus('asn', asn, ['receiving', 'submitted'], 'close');
  await patchIn(s, 'asn', asn.id as string, { status: 'received' });
  await finishTask(s.tx, s.ctx, entity, asn.process_id as string | null);
  return reload(s, 'asn', asn.id as string);
}
