import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type DispatchOperator,
  type DispatchResource,
  dispatchOrder,
  planDispatch,
  type ReadyProcess,
} from '../domain/plan-dispatch.ts';

const NOW = Date.parse('2026-11-30T02:00:00Z');
const MIN = 60_000;
const proc = (pid: string, over: Partial<ReadyProcess> = {}): ReadyProcess => ({
  pid,
  priority: 50,
  readySince: NOW,
  dueAt: null,
  role: null,
  skills: [],
  requirements: [],
  minutes: 60,
  ...over,
});
const op = (userId: string, over: Partial<DispatchOperator> = {}): DispatchOperator => ({
  userId,
  roles: [],
  skills: [],
  load: 0,
  available: true,
  ...over,
});
const res = (id: string, type: string, over: Partial<DispatchResource> = {}): DispatchResource => ({
  id,
  code: id,
  type,
  capacity: 1,
  skills: [],
  calendar: null,
  uses: [],
  ...over,
});

describe('dispatch order', () => {
  it('priority first, then due date, then READY since; starving processes go first', () => {
    const o = { agingMinutes: 1, agingCap: 30, maxLoad: 5 };
    const order = dispatchOrder(
      [
        proc('low-old', { priority: 10, readySince: NOW - 10 * MIN }),
        proc('high', { priority: 90 }),
        proc('mid-due-late', { priority: 50, dueAt: NOW + 100 * MIN }),
        proc('mid-due-soon', { priority: 50, dueAt: NOW + 10 * MIN }),
        proc('mid-no-due', { priority: 50 }),
        proc('starving', { priority: 0, readySince: NOW - 31 * MIN }),
      ],
      NOW,
      o,
    ).map((p) => p.pid);
    assert.deepEqual(order, ['starving', 'high', 'mid-due-soon', 'mid-due-late', 'mid-no-due', 'low-old']);
  });
  it('aging raises effective priority: 40 READY for 20 minutes passes a fresh 55', () => {
    const o = { agingMinutes: 1, agingCap: 100, maxLoad: 5 };
    const order = dispatchOrder(
      [proc('fresh', { priority: 55 }), proc('aged', { priority: 40, readySince: NOW - 20 * MIN })],
      NOW,
      o,
    );
    assert.deepEqual(
      order.map((p) => p.pid),
      ['aged', 'fresh'],
    );
  });
});

describe('planDispatch', () => {
  it('assigns by role and skills to the least loaded operator and says why the rest wait', () => {
    const plan = planDispatch({
      now: NOW,
      processes: [
        proc('p1', { role: 'nurse', priority: 90 }),
        proc('p2', { role: 'doctor' }),
        proc('p3', { role: 'nurse', skills: ['laser'] }),
        proc('p4', { role: 'nurse', skills: ['laser'], priority: 10 }),
      ],
      operators: [
        op('u1', { roles: ['nurse'], load: 2 }),
        op('u2', { roles: ['nurse'], skills: ['laser'], load: 4 }),
      ],
      resources: [],
      options: { maxLoad: 5 },
    });
    assert.deepEqual(
      plan.assignments.map((a) => [a.pid, a.operatorId]),
      [
        ['p1', 'u1'],
        ['p3', 'u2'],
      ],
    );
    const why = new Map(plan.waiting.map((w) => [w.pid, w]));
    assert.equal(why.get('p2')!.code, 'no_operator');
    assert.match(why.get('p2')!.reason, /role doctor/);
    assert.equal(why.get('p4')!.code, 'operators_busy');
    assert.match(why.get('p4')!.reason, /skills laser/);
  });

  it('needs all resources at once, respects capacity, calendars and skills', () => {
    const plan = planDispatch({
      now: NOW,
      processes: [
        proc('a', { priority: 90, requirements: [{ type: 'room' }, { type: 'laser' }] }),
        proc('b', { priority: 80, requirements: [{ type: 'room' }, { type: 'laser' }] }),
        proc('c', { priority: 70, requirements: [{ type: 'room' }] }),
        proc('d', { priority: 60, requirements: [{ type: 'person', skills: ['doctor'] }] }),
        proc('e', { priority: 50, requirements: [{ type: 'chair' }] }),
      ],
      operators: [op('u1'), op('u2'), op('u3'), op('u4'), op('u5')],
      resources: [
        res('room1', 'room', { capacity: 2 }),
        res('laser1', 'laser', {
          uses: [{ start: NOW + 30 * MIN, end: NOW + 90 * MIN, quantity: 1 }],
          capacity: 2,
        }),
        res('nurse1', 'person', { skills: ['nurse'] }),
        res('chair1', 'chair', {
          calendar: { timeZone: 'UTC', weekly: { mon: [['09:00', '17:00']] }, closed: [] },
        }),
      ],
    });
    assert.deepEqual(
      plan.assignments.map((a) => [a.pid, a.allocations.map((x) => x.resourceId)]),
      [
        ['a', ['room1', 'laser1']],
        ['c', ['room1']],
      ],
    );
    const why = new Map(plan.waiting.map((w) => [w.pid, w]));
    assert.equal(why.get('b')!.code, 'resource_busy');
    assert.match(why.get('b')!.reason, /laser busy until 2026-11-30T03:00:00.000Z/);
    assert.equal(why.get('d')!.code, 'no_resource');
    assert.equal(why.get('e')!.code, 'outside_calendar');
    assert.match(why.get('e')!.reason, /next opens 2026-11-30T09:00:00.000Z/);
  });

  it('an unavailable operator gets nothing', () => {
    const plan = planDispatch({
      now: NOW,
      processes: [proc('p')],
      operators: [op('u', { available: false })],
      resources: [],
    });
    assert.equal(plan.assignments.length, 0);
    assert.equal(plan.waiting[0]!.code, 'operators_busy');
  });
});

describe('no starvation (property)', () => {
  it('a process waits at most agingCap rounds plus the processes READY before it', () => {
    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261126;
    const arrivals = fc.array(
      fc.array(
        fc.record({
          priority: fc.integer({ min: 0, max: 100 }),
          due: fc.option(fc.integer({ min: 0, max: 50 })),
        }),
        {
          maxLength: 3,
        },
      ),
      { minLength: 5, maxLength: 40 },
    );
    fc.assert(
      fc.property(arrivals, fc.integer({ min: 1, max: 2 }), (waves, slots) => {
        const agingCap = 10;
        const options = { agingMinutes: 1, agingCap, maxLoad: 1 };
        let queue: (ReadyProcess & { round: number })[] = [];
        let seq = 0;
        let served = 0;
        const total = waves.reduce((n, w) => n + w.length, 0);
        for (let round = 0; served < total; round++) {
          const now = NOW + round * MIN;
          for (const a of waves[round] ?? []) {
            const pid = `p${String(seq++).padStart(4, '0')}`;
            queue.push({
              ...proc(pid, {
                priority: a.priority,
                readySince: now,
                dueAt: a.due === null ? null : now + a.due * MIN,
              }),
              round,
            });
          }
          // Capacity frees up every round: `slots` operators, each free again.
          const operators = Array.from({ length: slots }, (_, i) => op(`u${i}`));
          const plan = planDispatch({ now, processes: queue, operators, resources: [], options });
          const done = new Set(plan.assignments.map((a) => a.pid));
          for (const p of queue.filter((q) => done.has(q.pid))) {
            // Ahead of it once it starves: only processes READY before it (its sequence number).
            const readyBefore = Number(p.pid.slice(1));
            if (round - p.round > agingCap + Math.ceil(readyBefore / slots)) return false;
          }
          served += done.size;
          queue = queue.filter((q) => !done.has(q.pid));
          if (round > 1000) return false;
        }
        return true;
      }),
      { seed, numRuns: 200 },
    );
  });
});
