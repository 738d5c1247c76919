/**
 * The quality hold at receiving: an ASN with `quality_hold` receives its accepted units into the
 * quarantine bin, with no putaway yet. Releasing a receipt opens its putaway tasks from the quarantine
 * bin; rejecting it scraps the units there. Either way the decision is the receipt's, once.
 */

import { AppError } from '@tenon/core';
import { sql } from '@tenon/db';
import type { CompiledEntity, RecordData } from '@tenon/design';
import { postStockMoveIn } from '@tenon/inventory';
import { WmsErrors } from '../domain/errors.ts';
import { type CapturedSerial, linesFor } from './capture-serials.ts';
import { returnConsigned } from './consignment.service.ts';
import { planPutawayTasks } from './plan-putaway.service.ts';
import { businessDate, one, patchIn, reload, rows, type Scope, t } from './records.ts';

function requireHeld(receipt: RecordData, action: string): void {
  if (receipt.quality !== 'held')
    throw new AppError(WmsErrors.WMS_BAD_STATE, {
      entity: 'goods_receipt',
      status: String(receipt.quality),
      action,
    });
}

/** The accepted serials of a held receipt (their records), in scan order. */
async function heldSerials(s: Scope, receipt: RecordData): Promise<CapturedSerial[]> {
  const scanned = (receipt.serials as { accepted?: string[] } | null)?.accepted ?? [];
  if (scanned.length === 0) return [];
  const found = await rows<{ id: string; serial_no: string }>(
    s,
    sql`SELECT id, serial_no FROM ${t(s, 'serial_number')} WHERE serial_no = ANY(${scanned}::text[])`,
  );
  const id = new Map(found.map((f) => [f.serial_no, f.id]));
  return scanned.map((serialNo) => ({ id: id.get(serialNo)!, serialNo }));
}

export async function releaseHold(
  s: Scope,
  entity: CompiledEntity,
  receipt: RecordData,
): Promise<RecordData> {
  requireHeld(receipt, 'release');
  const asn = await one<{ warehouse: string }>(s, 'asn', receipt.asn as string);
  await planPutawayTasks(s, entity, {
    receipt: receipt.id as string,
    warehouse: asn.warehouse,
    dock: receipt.location as string,
    item: receipt.item as string,
    lot: (receipt.lot as string | null) ?? null,
    quantity: String(receipt.quantity),
    serials: await heldSerials(s, receipt),
  });
  await patchIn(s, 'goods_receipt', receipt.id as string, { quality: 'released' });
  return reload(s, 'goods_receipt', receipt.id as string);
}

export async function rejectHeld(s: Scope, receipt: RecordData): Promise<RecordData> {
  requireHeld(receipt, 'reject');
  const asn = await one<{ warehouse: string }>(s, 'asn', receipt.asn as string);
  await postStockMoveIn(s.tx, s.schema, {
    idempotencyKey: `goods_receipt:${receipt.id as string}:reject`,
    moveType: 'scrap',
    warehouse: asn.warehouse,
    postingDate: businessDate(s.ctx),
    sourceType: 'goods_receipt',
    sourceId: receipt.id as string,
    lines: linesFor(
      {
        item: receipt.item as string,
        fromLocation: receipt.location as string,
        lot: (receipt.lot as string | null) ?? null,
        quantity: String(receipt.quantity),
      },
      await heldSerials(s, receipt),
    ),
  });
  await returnConsigned(s, receipt);
  await patchIn(s, 'goods_receipt', receipt.id as string, { quality: 'rejected' });
  return reload(s, 'goods_receipt', receipt.id as string);
}
