/**
 * Milk-Run: a planned cyclic route that visits suppliers in a fixed order on a schedule. From the
 * plan and the open expected pickups (purchase lines, kanban signals) this produces the next run:
 * its departure, the stops in order with arrival estimates and the items to collect, and the data
 * of its route sheet. A pickup rides the next run when it is due before the run after it departs
 * (otherwise a later run can still take it in time).
 */
import { AppError, Decimal, isBusinessDate } from '@tenon/core';
import { WmsErrors } from './errors.ts';
import { positive } from './quantity.ts';
import { type DailySchedule, nextOccurrences } from './schedule.ts';

export type MilkRunStop = { supplierId: string; name: string; address?: string; dwellMinutes: number };

export type MilkRunPlan = {
  code: string;
  name: string;
  /** Suppliers in visiting order. */
  stops: MilkRunStop[];
  /** Driving minutes: legMinutes[0] depot -> first stop, ..., last -> depot (stops + 1 legs). */
  legMinutes: number[];
  schedule: DailySchedule;
};

export type ExpectedPickup = {
  supplierId: string;
  item: string;
  uom: string;
  quantity: string;
  /** Business date the goods are needed in our warehouse. */
  dueDate: string;
  source: 'purchase_line' | 'kanban';
  reference: string;
};

export type RunItem = { item: string; uom: string; quantity: string; references: string[] };

export type RunStop = {
  sequence: number;
  supplierId: string;
  name: string;
  address?: string;
  arrival: string;
  departure: string;
  items: RunItem[];
};

export type MilkRun = {
  plan: string;
  departsAt: string;
  returnsAt: string;
  localDate: string;
  stops: RunStop[];
  /** Pickups left for later runs. */
  later: ExpectedPickup[];
  /** Route sheet: one line per stop and item, with totals per unit of measure. */
  sheet: {
    title: string;
    lines: {
      sequence: number;
      supplier: string;
      arrival: string;
      item: string;
      uom: string;
      quantity: string;
    }[];
    totals: { uom: string; quantity: string }[];
  };
};

const MINUTE = 60_000;

function invalid(reason: string): never {
  throw new AppError(WmsErrors.WMS_INVALID_SCHEDULE, { reason });
}

export function planNextMilkRun(plan: MilkRunPlan, pickups: readonly ExpectedPickup[], now: Date): MilkRun {
  if (plan.stops.length === 0) invalid('a milk run needs at least one supplier');
  if (plan.legMinutes.length !== plan.stops.length + 1)
    invalid(`legMinutes needs ${plan.stops.length + 1} legs, got ${plan.legMinutes.length}`);
  if ([...plan.legMinutes, ...plan.stops.map((s) => s.dwellMinutes)].some((m) => !(m >= 0)))
    invalid('minutes must be >= 0');
  const [run, following] = nextOccurrences(plan.schedule, now, 2);
  if (!run || !following) invalid('the schedule has no upcoming run');
  const horizon = following.localDate;
  const known = new Set(plan.stops.map((s) => s.supplierId));

  const taken = new Map<string, Map<string, { uom: string; total: Decimal; references: string[] }>>();
  const later: ExpectedPickup[] = [];
  for (const p of pickups) {
    if (!isBusinessDate(p.dueDate)) invalid(`pickup ${p.reference} has no valid due date`);
    const qty = positive(p.quantity, `${p.reference}.quantity`);
    if (!known.has(p.supplierId) || p.dueDate >= horizon) {
      later.push(p);
      continue;
    }
    const items = taken.get(p.supplierId) ?? new Map();
    const key = `${p.item}\u0000${p.uom}`;
    const entry = items.get(key) ?? { uom: p.uom, total: new Decimal(0), references: [] };
    entry.total = entry.total.plus(qty);
    entry.references.push(p.reference);
    items.set(key, entry);
    taken.set(p.supplierId, items);
  }

  let clock = Date.parse(run.at);
  const stops: RunStop[] = plan.stops.map((stop, i) => {
    clock += plan.legMinutes[i]! * MINUTE;
    const arrival = new Date(clock).toISOString();
    clock += stop.dwellMinutes * MINUTE;
    const items = [...(taken.get(stop.supplierId)?.entries() ?? [])]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, e]) => ({
        item: key.split('\u0000')[0]!,
        uom: e.uom,
        quantity: e.total.toFixed(),
        references: e.references.sort(),
      }));
    const out: RunStop = {
      sequence: i + 1,
      supplierId: stop.supplierId,
      name: stop.name,
      arrival,
      departure: new Date(clock).toISOString(),
      items,
    };
    if (stop.address !== undefined) out.address = stop.address;
    return out;
  });
  clock += plan.legMinutes[plan.stops.length]! * MINUTE;

  const lines = stops.flatMap((s) =>
    s.items.map((it) => ({
      sequence: s.sequence,
      supplier: s.name,
      arrival: s.arrival,
      item: it.item,
      uom: it.uom,
      quantity: it.quantity,
    })),
  );
  const totals = new Map<string, Decimal>();
  for (const l of lines) totals.set(l.uom, (totals.get(l.uom) ?? new Decimal(0)).plus(l.quantity));
  return {
    plan: plan.code,
    departsAt: run.at,
    returnsAt: new Date(clock).toISOString(),
    localDate: run.localDate,
    stops,
    later,
    sheet: {
      title: `${plan.name} ${run.localDate} ${run.time}`,
      lines,
      totals: [...totals.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([uom, q]) => ({ uom, quantity: q.toFixed() })),
    },
  };
}
