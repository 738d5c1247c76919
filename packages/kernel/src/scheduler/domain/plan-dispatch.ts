/**
 * One dispatch round, pure: READY unassigned processes, operators and resource capacity in -> the
 * assignments, and for every process left over the reason why.
 *
 * Order: a process READY for `agingCap` aging steps (`agingMinutes` each) is starving and goes first, in
 * the order it became READY; the others by effective priority (priority + one per aging step), then due
 * date, then READY since. So a process waits at most until it starves plus the processes that starved
 * before it (nothing starves); until then priority and deadlines decide. A process is assigned only when
 * an operator with its role and skills is available below their load limit AND every resource it needs
 * is free at once (capacity and calendar), for its duration from now.
 */
import type { ResourceRequirement } from '../../types.ts';
import { type Calendar, isWithinCalendar, nextWorkingWindow } from './calendar.ts';
import { firstClash, type Use } from './capacity.ts';
import { hasSkills } from './pick-resources.ts';

export type ReadyProcess = {
  pid: string;
  priority: number;
  readySince: number;
  dueAt: number | null;
  role: string | null;
  skills: readonly string[];
  requirements: readonly ResourceRequirement[];
  /** Minutes resources are held when a requirement says none. */
  minutes: number;
  /** Only these users may take it (the users of its booked person resources). */
  operators?: readonly string[];
};

export type DispatchOperator = {
  userId: string;
  roles: readonly string[];
  skills: readonly string[];
  /** Processes assigned to them and not yet ended. */
  load: number;
  /** Not available (e.g. their person resource's calendar is closed now). */
  available: boolean;
};

export type DispatchResource = {
  id: string;
  code: string;
  type: string;
  capacity: number;
  skills: readonly string[];
  calendar: Calendar | null | 'invalid';
  uses: Use[];
};

export type DispatchOptions = { agingMinutes: number; agingCap: number; maxLoad: number };
export const DEFAULT_DISPATCH_OPTIONS: DispatchOptions = { agingMinutes: 1, agingCap: 100, maxLoad: 5 };

export type Assignment = {
  pid: string;
  operatorId: string;
  allocations: { resourceId: string; quantity: number; start: number; end: number }[];
};

export type NotDispatched = { pid: string; code: DispatchReasonCode; reason: string };
export type DispatchReasonCode =
  | 'no_operator'
  | 'operators_busy'
  | 'no_resource'
  | 'resource_busy'
  | 'outside_calendar';

export type DispatchPlan = { assignments: Assignment[]; waiting: NotDispatched[] };

export function effectivePriority(p: ReadyProcess, now: number, o: DispatchOptions) {
  const steps = Math.max(0, Math.floor((now - p.readySince) / (o.agingMinutes * 60_000)));
  const aging = Math.min(o.agingCap, steps);
  return { value: p.priority + aging, starving: steps >= o.agingCap };
}

/** The dispatch order of READY processes (see the file comment). */
export function dispatchOrder(
  processes: readonly ReadyProcess[],
  now: number,
  o: DispatchOptions,
): ReadyProcess[] {
  const keyed = processes.map((p) => ({ p, e: effectivePriority(p, now, o) }));
  keyed.sort((a, b) => {
    if (a.e.starving !== b.e.starving) return a.e.starving ? -1 : 1;
    if (a.e.starving) return a.p.readySince - b.p.readySince || cmp(a.p.pid, b.p.pid);
    return (
      b.e.value - a.e.value ||
      (a.p.dueAt ?? Number.MAX_SAFE_INTEGER) - (b.p.dueAt ?? Number.MAX_SAFE_INTEGER) ||
      a.p.readySince - b.p.readySince ||
      cmp(a.p.pid, b.p.pid)
    );
  });
  return keyed.map((k) => k.p);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const iso = (ms: number) => new Date(ms).toISOString();

export function planDispatch(input: {
  processes: readonly ReadyProcess[];
  operators: readonly DispatchOperator[];
  resources: readonly DispatchResource[];
  now: number;
  options?: Partial<DispatchOptions>;
}): DispatchPlan {
  const o = { ...DEFAULT_DISPATCH_OPTIONS, ...input.options };
  const now = input.now;
  const load = new Map(input.operators.map((op) => [op.userId, op.load]));
  const uses = new Map(input.resources.map((r) => [r.id, [...r.uses]]));
  const byType = new Map<string, DispatchResource[]>();
  for (const r of input.resources) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  const assignments: Assignment[] = [];
  const waiting: NotDispatched[] = [];
  const open = openCheck(now);
  const shapes = new Map<string, Found>();
  // Clashes memoised per resource, quantity and end; a resource's entries go when it gets a new use.
  const clashes = new Map<string, Map<string, Use | null>>();
  const clash = (r: DispatchResource, quantity: number, end: number): Use | null => {
    let memo = clashes.get(r.id);
    if (!memo) {
      memo = new Map();
      clashes.set(r.id, memo);
    }
    const key = `${quantity}|${end}`;
    let found = memo.get(key);
    if (found === undefined) {
      found = firstClash(uses.get(r.id)!, r.capacity, quantity, now, end);
      memo.set(key, found);
    }
    return found;
  };
  for (const p of dispatchOrder(input.processes, now, o)) {
    const fit = input.operators.filter(
      (op) =>
        (p.role === null || op.roles.includes(p.role)) &&
        p.skills.every((s) => op.skills.includes(s)) &&
        (!p.operators || p.operators.includes(op.userId)),
    );
    const free = fit.filter((op) => op.available && load.get(op.userId)! < o.maxLoad);
    if (free.length === 0) {
      const who = `${p.role ? `role ${p.role}` : 'any role'}${p.skills.length ? ` and skills ${p.skills.join(', ')}` : ''}`;
      waiting.push(
        fit.length === 0
          ? { pid: p.pid, code: 'no_operator', reason: `no operator with ${who}` }
          : {
              pid: p.pid,
              code: 'operators_busy',
              reason: `all ${fit.length} operators with ${who} are busy or away`,
            },
      );
      continue;
    }
    const chosen = pickAll(p, { byType, uses, now, open, clash, shapes });
    if ('code' in chosen) {
      waiting.push({ pid: p.pid, ...chosen });
      continue;
    }
    free.sort((a, b) => load.get(a.userId)! - load.get(b.userId)! || cmp(a.userId, b.userId));
    const operator = free[0]!;
    load.set(operator.userId, load.get(operator.userId)! + 1);
    for (const a of chosen) {
      uses.get(a.resourceId)!.push({ start: a.start, end: a.end, quantity: a.quantity, pid: p.pid });
      clashes.delete(a.resourceId);
    }
    shapes.clear();
    assignments.push({ pid: p.pid, operatorId: operator.userId, allocations: chosen });
  }
  return { assignments, waiting };
}

/** Calendar checks of one round, memoised per resource and end (the start is always now). */
function openCheck(now: number): (r: DispatchResource, end: number) => boolean {
  const memo = new Map<string, boolean>();
  return (r, end) => {
    const key = `${r.id}|${end}`;
    let open = memo.get(key);
    if (open === undefined) {
      open = r.calendar !== 'invalid' && isWithinCalendar(r.calendar, now, end);
      memo.set(key, open);
    }
    return open;
  };
}

type Found = { resource: DispatchResource } | { code: DispatchReasonCode; reason: string };

type RoundState = {
  byType: Map<string, DispatchResource[]>;
  uses: Map<string, Use[]>;
  now: number;
  open: (r: DispatchResource, end: number) => boolean;
  clash: (r: DispatchResource, quantity: number, end: number) => Use | null;
  /** Answers per requirement shape (type, skills, quantity, end); cleared when a resource is taken. */
  shapes: Map<string, Found>;
};

/** Every requirement of the process satisfied at once from now, or why not. */
function pickAll(
  p: ReadyProcess,
  at: RoundState,
): Assignment['allocations'] | { code: DispatchReasonCode; reason: string } {
  const out: Assignment['allocations'] = [];
  const extra = new Map<string, Use[]>();
  const takenTypes = new Set<string>();
  for (const req of p.requirements) {
    const quantity = req.quantity ?? 1;
    const end = at.now + (req.minutes ?? p.minutes) * 60_000;
    let found: Found;
    if (takenTypes.has(req.type)) found = pickOne(req, quantity, end, at, extra);
    else {
      const key = `${req.type}|${(req.skills ?? []).join(',')}|${quantity}|${end}`;
      found = at.shapes.get(key) ?? pickOne(req, quantity, end, at, extra);
      at.shapes.set(key, found);
    }
    if (!('resource' in found)) return found;
    const id = found.resource.id;
    extra.set(id, [...(extra.get(id) ?? []), { start: at.now, end, quantity }]);
    takenTypes.add(req.type);
    out.push({ resourceId: id, quantity, start: at.now, end });
  }
  return out;
}

function pickOne(
  req: ResourceRequirement,
  quantity: number,
  end: number,
  at: RoundState,
  extra: Map<string, Use[]>,
): Found {
  const now = at.now;
  const ofType = (at.byType.get(req.type) ?? []).filter((r) => hasSkills(r.skills, req.skills));
  const skills = req.skills?.length ? ` with skills ${req.skills.join(', ')}` : '';
  if (ofType.length === 0) return { code: 'no_resource', reason: `no resource of type ${req.type}${skills}` };
  const working = ofType.filter((r) => at.open(r, end));
  if (working.length === 0) {
    const opens = ofType
      .map((r) =>
        r.calendar === 'invalid' ? null : nextWorkingWindow(r.calendar, now, (end - now) / 60_000),
      )
      .filter((w) => w !== null)
      .map((w) => w.start);
    const next = opens.length ? `; next opens ${iso(Math.min(...opens))}` : '';
    return {
      code: 'outside_calendar',
      reason: `resource type ${req.type}${skills} is outside its calendar${next}`,
    };
  }
  let busyUntil = Number.POSITIVE_INFINITY;
  const resource = working.find((r) => {
    const mine = extra.get(r.id);
    const clash = mine
      ? firstClash([...at.uses.get(r.id)!, ...mine], r.capacity, quantity, now, end)
      : at.clash(r, quantity, end);
    if (clash) busyUntil = Math.min(busyUntil, clash.end);
    return clash === null;
  });
  if (!resource)
    return {
      code: 'resource_busy',
      reason: `resource type ${req.type}${skills} busy until ${iso(busyUntil)}`,
    };
  return { resource };
}
