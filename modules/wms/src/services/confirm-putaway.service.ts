/**
 * Confirming a putaway by scanning the bin: the scanned bin (the suggested one or any other storage
 * bin of the warehouse) receives the stock by a transfer from the receiving bin; the task is done.
 */
import { AppError } from '@tenon/core';
import { sql } from '@tenon/db';
import type { CompiledEntity, RecordData } from '@tenon/design';
import { postStockMoveIn } from '@tenon/inventory';
import { WmsErrors } from '../domain/errors.ts';
import { type CapturedSerial, linesFor } from './capture-serials.ts';
import { bad, businessDate, patchIn, reload, requireStatus, rows, type Scope, t } from './records.ts';
import { finishTask } from './tasks.ts';

/** A scanned bin code (or id) of this warehouse. */
export async function scannedBin(s: Scope, warehouse: string, code: unknown): Promise<string> {
  if (typeof code !== 'string' || code.trim() === '') throw bad('location', 'scan a bin');
  const found = await rows<{ id: string }>(
    s,
    sql`SELECT id FROM ${t(s, 'location')} WHERE warehouse = ${warehouse}::uuid
          AND (code = ${code.trim()} OR id::text = ${code.trim()}) LIMIT 1`,
  );
  if (!found[0])
    throw new AppError(WmsErrors.WMS_SCAN_MISMATCH, { code, expected: 'a bin of the warehouse' });
  return found[0].id;
}

export async function confirmPutaway(
  s: Scope,
  entity: CompiledEntity,
  task: RecordData,
  body: unknown,
): Promise<RecordData> {
  requireStatus('putaway_task', task, ['open'], 'confirm');
  const b = (body ?? {}) as Record<string, unknown>;
  const to = await scannedBin(s, task.warehouse as string, b.location ?? b.code);
  if (to === task.from_location) throw bad('location', 'scan the bin the stock goes to');
  const moveId = await postTaskTransfer(s, 'putaway_task', task, to);
  await patchIn(s, 'putaway_task', task.id as string, {
    status: 'done',
    to_location: to,
    stock_move: moveId,
  });
  await finishTask(s.tx, s.ctx, entity, task.process_id as string | null);
  return reload(s, 'putaway_task', task.id as string);
}

/** Posts a bin-to-bin task (putaway, replenishment, move) as one idempotent transfer; returns the move. */
export async function postTaskTransfer(
  s: Scope,
  source: 'putaway_task' | 'move_task',
  task: RecordData,
  to: string,
): Promise<string> {
  const { moveId } = await postStockMoveIn(s.tx, s.schema, {
    idempotencyKey: `${source}:${task.id as string}`,
    moveType: 'transfer',
    warehouse: task.warehouse as string,
    postingDate: businessDate(s.ctx),
    sourceType: source,
    sourceId: task.id as string,
    lines: linesFor(
      {
        item: task.item as string,
        fromLocation: task.from_location as string,
        toLocation: to,
        lot: (task.lot as string | null) ?? null,
        quantity: String(task.quantity),
      },
      task.serials as CapturedSerial[] | null,
    ),
  });
  return moveId;
}
