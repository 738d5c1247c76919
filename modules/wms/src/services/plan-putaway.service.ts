/**
 * Putaway tasks for received stock: the putaway rules (domain `suggestPutaway`) over the warehouse's
 * storage bins, their capacity and what they hold now (inventory's balances, read only). One task per
 * suggested bin, plus one without a suggestion for what fits nowhere; each is a kernel task.
 */
import { Decimal } from '@tenon/core';
import { sql } from '@tenon/db';
import type { CompiledEntity } from '@tenon/design';
import { type BinState, suggestPutaway } from '../domain/putaway.ts';
import type { CapturedSerial } from './capture-serials.ts';
import { createIn, patchIn, rows, type Scope, t } from './records.ts';
import { openTask } from './tasks.ts';
import { loadWarehouseLayout } from './warehouse-layout.ts';

const NIL = '00000000-0000-0000-0000-000000000000';
const STORAGE = new Set(['storage', 'picking', null]);

export async function planPutawayTasks(
  s: Scope,
  entity: CompiledEntity,
  input: {
    receipt: string;
    warehouse: string;
    dock: string;
    item: string;
    lot: string | null;
    quantity: string;
    /** Serial-tracked: the received serials, shared out over the tasks in order. */
    serials?: CapturedSerial[];
  },
): Promise<string[]> {
  const wl = await loadWarehouseLayout(s, input.warehouse);
  const balances = await rows<{ location_id: string; item_id: string; lot_id: string; on_hand: string }>(
    s,
    sql`SELECT location_id, item_id, lot_id, sum(on_hand)::text AS on_hand FROM ${t(s, 'inv_balance')}
        WHERE warehouse_id = ${input.warehouse}::uuid AND on_hand <> 0 GROUP BY location_id, item_id, lot_id`,
  );
  const item = (
    await rows<{ category: string | null }>(
      s,
      sql`SELECT category FROM ${t(s, 'item')} WHERE id = ${input.item}::uuid`,
    )
  )[0];
  const bins: BinState[] = [];
  for (const [id, loc] of wl.locations) {
    if (loc.level !== 'bin' || !STORAGE.has(loc.bin_type)) continue;
    const held = balances.filter((b) => b.location_id === id);
    const units = held.reduce((sum, b) => sum.plus(b.on_hand), new Decimal(0));
    bins.push({
      bin: loc.code,
      capacity: {
        ...(loc.capacity_units !== null ? { units: String(loc.capacity_units) } : {}),
      },
      used: { volume: '0', weight: '0', units: Decimal.max(units, 0).toFixed() },
      contents: held.map((b) => ({
        item: b.item_id,
        ...(b.lot_id !== NIL ? { lot: b.lot_id } : {}),
        quantity: b.on_hand,
      })),
    });
  }
  const dock = wl.codeOf.get(input.dock)!;
  const result = suggestPutaway({
    layout: wl.layout,
    dock,
    item: { item: input.item, itemClass: item?.category ?? '', unitVolume: '0', unitWeight: '0' },
    ...(input.lot ? { lot: input.lot } : {}),
    quantity: input.quantity,
    bins,
    zonesByClass: {},
  });
  const tasks = [
    ...result.suggestions.map((x) => ({
      quantity: x.quantity,
      location: wl.idOf.get(x.bin)!,
      reason: x.reason,
    })),
    ...(new Decimal(result.unplaced).gt(0)
      ? [{ quantity: result.unplaced, location: null, reason: null }]
      : []),
  ];
  const ids: string[] = [];
  let next = 0;
  for (const task of tasks) {
    const serials = input.serials?.length ? input.serials.slice(next, next + Number(task.quantity)) : null;
    next += serials?.length ?? 0;
    const created = await createIn(s, 'putaway_task', {
      receipt: input.receipt,
      warehouse: input.warehouse,
      item: input.item,
      lot: input.lot,
      quantity: task.quantity,
      from_location: input.dock,
      suggested_location: task.location,
      reason: task.reason,
      ...(serials ? { serials } : {}),
    });
    const pid = await openTask(s.tx, s.ctx, entity, {
      service: 'wms_putaway',
      entity: 'putaway_task',
      recordId: created.id as string,
    });
    await patchIn(s, 'putaway_task', created.id as string, { process_id: pid });
    ids.push(created.id as string);
  }
  return ids;
}
