/**
 * Replenishing pick faces from reserve: faces at or below their minimum (stock in the face bin plus
 * open move tasks towards it) are filled up to their maximum from storage bins, earliest expiry
 * first, whole cases when the face says so (domain `planReplenishment`). Each move is a move task
 * (a clerk's kernel task); confirming it by scanning the face posts the transfer.
 */
import { AppError } from '@tenon/core';
import { sql } from '@tenon/db';
import type { CompiledEntity, RecordData } from '@tenon/design';
import { listProcesses } from '@tenon/kernel';
import { WmsErrors } from '../domain/errors.ts';
import { type PickFace, planReplenishment, type ReserveStock } from '../domain/replenishment.ts';
import { postTaskTransfer, scannedBin } from './confirm-putaway.service.ts';
import { createIn, patchIn, reload, requireStatus, rows, type Scope, t } from './records.ts';
import { finishTask, openTask } from './tasks.ts';

const NIL = '00000000-0000-0000-0000-000000000000';

type FaceRow = {
  location: string;
  code: string;
  item: string;
  uom: string;
  min_qty: string;
  max_qty: string;
  case_qty: string | null;
  on_hand: string;
  incoming: string;
};
type ReserveRow = {
  location: string;
  code: string;
  item: string;
  lot_id: string;
  quantity: string;
  expires_on: string | null;
  first_seq: string;
};

export async function planFaceReplenishment(
  s: Scope,
  entity: CompiledEntity,
  warehouse: string,
): Promise<{ tasks: RecordData[]; shortages: { bin: string; item: string; missing: string }[] }> {
  const faces = await rows<FaceRow>(
    s,
    sql`SELECT f.location, l.code, f.item, i.base_uom AS uom, f.min_qty::text AS min_qty, f.max_qty::text AS max_qty,
          f.case_qty::text AS case_qty,
          coalesce((SELECT sum(b.on_hand) FROM ${t(s, 'inv_balance')} b WHERE b.location_id = f.location AND b.item_id = f.item), 0)::text AS on_hand,
          coalesce((SELECT sum(m.quantity) FROM ${t(s, 'move_task')} m WHERE m.to_location = f.location AND m.item = f.item AND m.status = 'open'), 0)::text AS incoming
        FROM ${t(s, 'pick_face')} f JOIN ${t(s, 'location')} l ON l.id = f.location JOIN ${t(s, 'item')} i ON i.id = f.item
        WHERE f.warehouse = ${warehouse}::uuid AND f.active IS NOT FALSE ORDER BY l.code FOR UPDATE OF f`,
  );
  if (faces.length === 0) return { tasks: [], shortages: [] };
  // Reserve: storage bins that are not pick faces, less open move tasks out of them.
  const reserve = await rows<ReserveRow>(
    s,
    sql`SELECT b.location_id AS location, l.code, b.item_id AS item, b.lot_id, lt.expires_on::text AS expires_on,
          (sum(b.on_hand) - coalesce((SELECT sum(m.quantity) FROM ${t(s, 'move_task')} m WHERE m.from_location = b.location_id
             AND m.item = b.item_id AND coalesce(m.lot, ${NIL}::uuid) = b.lot_id AND m.status = 'open'), 0))::text AS quantity,
          (SELECT coalesce(min(g.seq), 0)::text FROM ${t(s, 'inv_ledger')} g WHERE g.location_id = b.location_id AND g.item_id = b.item_id) AS first_seq
        FROM ${t(s, 'inv_balance')} b JOIN ${t(s, 'location')} l ON l.id = b.location_id LEFT JOIN ${t(s, 'lot')} lt ON lt.id = b.lot_id
        WHERE b.warehouse_id = ${warehouse}::uuid AND b.on_hand > 0 AND coalesce(l.bin_type, 'storage') = 'storage'
          AND b.item_id = ANY(${faces.map((f) => f.item)}::uuid[])
          AND NOT EXISTS (SELECT 1 FROM ${t(s, 'pick_face')} pf WHERE pf.location = b.location_id AND pf.active IS NOT FALSE)
        GROUP BY b.location_id, l.code, b.item_id, b.lot_id, lt.expires_on`,
  );
  const idOf = new Map([...faces, ...reserve].map((r) => [r.code, r.location]));
  const plan = planReplenishment(
    faces.map(
      (f): PickFace => ({
        bin: f.code,
        item: f.item,
        uom: f.uom,
        min: f.min_qty,
        max: f.max_qty,
        onHand: f.on_hand,
        incoming: f.incoming,
        ...(f.case_qty && f.case_qty !== '0' ? { caseQuantity: f.case_qty } : {}),
      }),
    ),
    reserve
      .filter((r) => Number(r.quantity) > 0)
      .map(
        (r): ReserveStock => ({
          bin: r.code,
          item: r.item,
          ...(r.lot_id !== NIL ? { lot: r.lot_id } : {}),
          quantity: r.quantity,
          ...(r.expires_on ? { expiry: r.expires_on } : {}),
          receivedAt: r.first_seq.padStart(20, '0'),
        }),
      ),
  );
  const tasks: RecordData[] = [];
  for (const move of plan.moves) {
    const task = await createIn(s, 'move_task', {
      warehouse,
      reason: 'replenishment',
      item: move.item,
      lot: move.lot ?? null,
      quantity: move.quantity,
      from_location: idOf.get(move.from),
      to_location: idOf.get(move.to),
    });
    const pid = await openTask(s.tx, s.ctx, entity, {
      service: 'wms_move',
      entity: 'move_task',
      recordId: task.id as string,
    });
    tasks.push(await patchIn(s, 'move_task', task.id as string, { process_id: pid }));
  }
  return { tasks, shortages: plan.shortages };
}

/** Confirming a move by scanning the destination bin: the transfer posts and the task ends. */
export async function confirmMove(
  s: Scope,
  entity: CompiledEntity,
  task: RecordData,
  body: unknown,
): Promise<RecordData> {
  requireStatus('move_task', task, ['open'], 'confirm');
  const b = (body ?? {}) as Record<string, unknown>;
  const to = await scannedBin(s, task.warehouse as string, b.location ?? b.code);
  if (to !== task.to_location)
    throw new AppError(WmsErrors.WMS_SCAN_MISMATCH, {
      code: String(b.location ?? b.code),
      expected: "the task's destination bin",
    });
  const moveId = await postTaskTransfer(s, 'move_task', task, to);
  await patchIn(s, 'move_task', task.id as string, { status: 'done', stock_move: moveId });
  await finishTask(
    s.tx,
    s.ctx,
    entity,
    (task.process_id as string | null) ?? (await boundTask(s, task.id as string)),
  );
  return reload(s, 'move_task', task.id as string);
}

/** The live task the module's rule opened for a move task created by hand. */
async function boundTask(s: Scope, id: string): Promise<string | null> {
  const { items } = await listProcesses(
    s.tx,
    s.schema,
    { entity: 'move_task', recordId: id },
    { limit: 10, offset: 0 },
  );
  return items.find((p) => p.state !== 'TERMINATED')?.pid ?? null;
}

/** The module's rule: a move task created by hand (no task yet) becomes a clerk's task. */
export const moveTaskRule = {
  kind: 'rule',
  definition: {
    name: 'wms_open_move_task',
    label: { 'zh-CN': '手工移库任务进入任务列表', en: 'A move task created by hand becomes a task' },
    event: { topic: 'record.created', entity: 'move_task' },
    condition: "record.status == 'open' && record.process_id == null",
    instructions: [{ do: 'create_process', service: 'wms_move', bind: 'event' }],
  },
};
