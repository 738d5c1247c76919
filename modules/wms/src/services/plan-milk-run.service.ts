/**
 * Planning the next run of a Milk-Run route: its stops (suppliers in order, driving and dwell
 * minutes), its departure times, and the open ASN lines and kanban signals of those suppliers as
 * expected pickups (domain `planNextMilkRun`). The run is stored with its stops, pickups and route-sheet data.
 */
import { sql } from '@tenon/db';
import type { CompiledEntity, RecordData } from '@tenon/design';
import { type ExpectedPickup, type MilkRun, planNextMilkRun } from '../domain/milk-run.ts';
import { arriveSignals, kanbanPickups, markPlannedSignals } from './kanban.service.ts';
import { bad, createIn, patchIn, reload, requireStatus, rows, type Scope, t } from './records.ts';
import { submitAsn } from './submit-asn.service.ts';

type Stop = {
  supplier: string;
  name: string;
  address: string | null;
  drive_minutes: number;
  dwell_minutes: number | null;
};

export async function planMilkRunFor(s: Scope, route: RecordData): Promise<RecordData> {
  const stops = await rows<Stop>(
    s,
    sql`SELECT st.supplier, su.name, su.address, st.drive_minutes, st.dwell_minutes
        FROM ${t(s, 'milk_run_stop')} st JOIN ${t(s, 'wms_supplier')} su ON su.id = st.supplier
        WHERE st.parent_id = ${route.id as string}::uuid ORDER BY st.line_no`,
  );
  const times = String(route.departures ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (times.length === 0) throw bad('departures', 'give departure times as HH:MM, comma-separated');
  const pickups = await rows<{
    supplier: string;
    item: string;
    uom: string;
    open: string;
    due: string;
    number: string;
  }>(
    s,
    sql`SELECT a.supplier, l.item, i.base_uom AS uom, (l.quantity - l.received_qty - l.damaged_qty)::text AS open,
          a.expected_date::text AS due, a.number
        FROM ${t(s, 'asn')} a JOIN ${t(s, 'asn_line')} l ON l.parent_id = a.id JOIN ${t(s, 'item')} i ON i.id = l.item
        WHERE a.status IN ('draft', 'submitted') AND a.warehouse = ${route.warehouse as string}::uuid
          AND a.supplier IN (SELECT supplier FROM ${t(s, 'milk_run_stop')} WHERE parent_id = ${route.id as string}::uuid)
          AND l.quantity > l.received_qty + l.damaged_qty
        ORDER BY a.expected_date, a.number, l.line_no`,
  );
  const expected: ExpectedPickup[] = [
    ...pickups.map((p) => ({
      supplierId: p.supplier,
      item: p.item,
      uom: p.uom,
      quantity: p.open,
      dueDate: p.due,
      source: 'purchase_line' as const,
      reference: p.number,
    })),
    ...(await kanbanPickups(s, route)),
  ];
  const run = planNextMilkRun(
    {
      code: String(route.code),
      name: String(route.name),
      stops: stops.map((st) => ({
        supplierId: st.supplier,
        name: st.name,
        ...(st.address ? { address: st.address } : {}),
        dwellMinutes: st.dwell_minutes ?? 15,
      })),
      legMinutes: [...stops.map((st) => st.drive_minutes), Number(route.return_minutes ?? 30)],
      schedule: { timeZone: String(route.time_zone ?? 'Asia/Shanghai'), times },
    },
    expected,
    s.ctx.clock.now(),
  );
  const created = await createIn(s, 'milk_run', {
    route: route.id,
    departure: run.departsAt,
    return_at: run.returnsAt,
    plan: run,
  });
  await markPlannedSignals(s, run, created.id as string);
  return route;
}

/**
 * A run's arrival flows into receiving: the ASNs it picked up that are still drafts are submitted,
 * so their receive tasks appear in the clerks' lists; the run is marked arrived.
 */
export async function arriveMilkRun(s: Scope, run: RecordData): Promise<RecordData> {
  requireStatus('milk_run', run, ['planned'], 'arrive');
  const plan = run.plan as MilkRun;
  const numbers = [...new Set(plan.stops.flatMap((stop) => stop.items.flatMap((i) => i.references)))];
  const asnEntity: CompiledEntity = s.ctx.metamodel.get('asn');
  const drafts = await rows<{ id: string }>(
    s,
    sql`SELECT id FROM ${t(s, 'asn')} WHERE number = ANY(${numbers}::text[]) AND status = 'draft' ORDER BY number FOR UPDATE`,
  );
  for (const d of drafts) await submitAsn(s, asnEntity, await reload(s, 'asn', d.id));
  const route = await rows<{ warehouse: string }>(
    s,
    sql`SELECT warehouse FROM ${t(s, 'milk_run_route')} WHERE id = ${run.route as string}::uuid`,
  );
  await arriveSignals(s, run, route[0]!.warehouse);
  await patchIn(s, 'milk_run', run.id as string, { status: 'arrived' });
  return reload(s, 'milk_run', run.id as string);
}
