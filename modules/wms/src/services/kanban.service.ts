/**
 * Kanban signals as Milk-Run pickups. A card is signalled once until its refill arrives; the signal
 * is due `lead_days` after today. Planning a route's run takes the open signals of its suppliers as
 * pickups beside the open ASN lines; those that ride the run are marked with it. When the run
 * arrives, each supplier's signals become one submitted ASN, so they are received like any other.
 */
import { AppError } from '@tenon/core';
import { sql } from '@tenon/db';
import type { RecordData } from '@tenon/design';
import { WmsErrors } from '../domain/errors.ts';
import type { ExpectedPickup, MilkRun } from '../domain/milk-run.ts';
import { bad, businessDate, createIn, patchIn, reload, rows, type Scope, t } from './records.ts';
import { submitAsn } from './submit-asn.service.ts';

/** A business date `days` later (calendar arithmetic on the date, no time zone involved). */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export async function signalCard(s: Scope, card: RecordData): Promise<RecordData> {
  if (card.active === false) throw bad('card', 'the card is not active');
  const open = await rows<{ number: string }>(
    s,
    sql`SELECT number FROM ${t(s, 'kanban_signal')} WHERE card = ${card.id as string}::uuid
          AND status IN ('open', 'planned') FOR UPDATE`,
  );
  if (open[0])
    throw new AppError(WmsErrors.WMS_BAD_STATE, {
      entity: 'kanban_card',
      status: `signalled (${open[0].number})`,
      action: 'signal',
    });
  return createIn(s, 'kanban_signal', {
    card: card.id,
    supplier: card.supplier,
    item: card.item,
    warehouse: card.warehouse,
    location: card.location ?? null,
    quantity: card.quantity,
    due_date: addDays(businessDate(s.ctx), Number(card.lead_days ?? 1)),
  });
}

/** Scanning a card's code raises its signal. */
export async function scanKanban(s: Scope, code: unknown): Promise<RecordData> {
  if (typeof code !== 'string' || code.trim() === '') throw bad('code', 'scan a kanban card');
  const found = await rows<{ id: string }>(
    s,
    sql`SELECT id FROM ${t(s, 'kanban_card')} WHERE code = ${code.trim()} FOR UPDATE`,
  );
  if (!found[0]) throw new AppError(WmsErrors.WMS_SCAN_MISMATCH, { code, expected: 'a kanban card' });
  return signalCard(s, await reload(s, 'kanban_card', found[0].id));
}

/** The open signals of the route's suppliers into its warehouse, as Milk-Run pickups. */
export async function kanbanPickups(s: Scope, route: RecordData): Promise<ExpectedPickup[]> {
  const found = await rows<{
    supplier: string;
    item: string;
    uom: string;
    quantity: string;
    due: string;
    number: string;
  }>(
    s,
    sql`SELECT k.supplier, k.item, i.base_uom AS uom, k.quantity::text AS quantity, k.due_date::text AS due, k.number
        FROM ${t(s, 'kanban_signal')} k JOIN ${t(s, 'item')} i ON i.id = k.item
        WHERE k.status = 'open' AND k.warehouse = ${route.warehouse as string}::uuid
          AND k.supplier IN (SELECT supplier FROM ${t(s, 'milk_run_stop')} WHERE parent_id = ${route.id as string}::uuid)
        ORDER BY k.due_date, k.number FOR UPDATE OF k`,
  );
  return found.map((k) => ({
    supplierId: k.supplier,
    item: k.item,
    uom: k.uom,
    quantity: k.quantity,
    dueDate: k.due,
    source: 'kanban',
    reference: k.number,
  }));
}

/** Signals that ride the run are marked with it. */
export async function markPlannedSignals(s: Scope, run: MilkRun, runId: string): Promise<void> {
  const numbers = [...new Set(run.stops.flatMap((st) => st.items.flatMap((i) => i.references)))];
  const riding = await rows<{ id: string }>(
    s,
    sql`SELECT id FROM ${t(s, 'kanban_signal')} WHERE number = ANY(${numbers}::text[]) AND status = 'open' ORDER BY number`,
  );
  for (const r of riding) await patchIn(s, 'kanban_signal', r.id, { status: 'planned', milk_run: runId });
}

/** The run's signals become one submitted ASN per supplier (source `milk_run`, the run's number). */
export async function arriveSignals(s: Scope, run: RecordData, warehouse: string): Promise<void> {
  const signals = await rows<{
    id: string;
    supplier: string;
    item: string;
    quantity: string;
    due_date: string;
  }>(
    s,
    sql`SELECT id, supplier, item, quantity::text AS quantity, due_date::text AS due_date FROM ${t(s, 'kanban_signal')}
        WHERE milk_run = ${run.id as string}::uuid AND status = 'planned' ORDER BY supplier, number FOR UPDATE`,
  );
  const asnEntity = s.ctx.metamodel.get('asn');
  for (const supplier of [...new Set(signals.map((k) => k.supplier))]) {
    const mine = signals.filter((k) => k.supplier === supplier);
    const asn = await createIn(s, 'asn', {
      supplier,
      warehouse,
      expected_date: businessDate(s.ctx),
      source: 'milk_run',
      reference: String(run.number),
      lines: mine.map((k) => ({ item: k.item, quantity: k.quantity })),
    });
    await submitAsn(s, asnEntity, asn);
    for (const k of mine) await patchIn(s, 'kanban_signal', k.id, { status: 'arrived', asn: asn.id });
  }
}
