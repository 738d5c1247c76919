import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Clock } from '@tenon/core';
import { type Database, PLATFORM_SCHEMA, sql } from '@tenon/db';
import { openTestDatabase, testDatabaseKind } from '@tenon/db/testing';
import { BUILTIN_RESOURCE_TYPES } from '../../definitions/resource-type.kind.ts';
import type { KernelEnv } from '../../env.ts';
import { createProcess } from '../../services/create-process.service.ts';
import { peakUse } from '../domain/capacity.ts';
import { bookSlot } from '../services/book-slot.service.ts';
import { dispatchRound } from '../services/dispatch-round.service.ts';
import { explainDispatch } from '../services/explain-dispatch.service.ts';
import { label, type SchedulerHarness, schedulerHarness } from './harness.ts';

// Monday 2026-11-30 10:00 in Shanghai.
let now = Date.parse('2026-11-30T02:00:00Z');
const clock: Clock = { now: () => new Date(now) };

describe('dispatch rounds', () => {
  let h: SchedulerHarness;
  let env: KernelEnv;
  let other: Database | null = null;
  const users: Record<string, string> = {};

  before(async () => {
    h = await schedulerHarness(clock);
    for (const t of BUILTIN_RESOURCE_TYPES) await h.save('resource_type', { ...t });
    await h.save('service', {
      name: 'laser_treatment',
      label: label('Laser treatment'),
      role: 'nurse',
      skills: ['laser'],
      durationMinutes: 30,
      resources: [{ type: 'device' }, { type: 'room' }],
    });
    await h.save('service', { name: 'call', label: label('Call'), role: 'nurse', priority: 20 });
    await h.save('service', { name: 'surgery', label: label('Surgery'), role: 'surgeon' });
    for (const [name, skills] of [
      ['amy', ['laser']],
      ['bob', []],
    ] as const) {
      await h.s.userWith({ username: name, roles: ['nurse'], attributes: { skills } });
      const r = await h.s.db.run<{ id: string }>(
        sql`SELECT id::text AS id FROM ${sql.id(PLATFORM_SCHEMA, 'user')} WHERE username = ${`${name}@${h.s.tenant.name}`}`,
      );
      users[name] = r.rows[0]!.id;
    }
    await h.resource({ code: 'LASER-1', name: 'Laser', type: 'device' });
    await h.resource({ code: 'ROOM-1', name: 'Room', type: 'room', capacity: 2 });
    await h.save('service', {
      name: 'consult',
      label: label('Consultation'),
      role: 'nurse',
      durationMinutes: 30,
      resources: [{ type: 'person', skills: ['doctor'] }],
    });
    await h.resource({ code: 'DR-AMY', name: 'Amy', type: 'person', skills: ['doctor'], user: users.amy });
    env = await h.env();
    if (testDatabaseKind() === 'postgres') other = await openTestDatabase();
  });
  after(async () => {
    await other?.close();
    await h.s.close();
  });

  const create = (service: string, priority?: number) =>
    h.s.db.transaction((tx) =>
      createProcess(tx, env, { service, ...(priority === undefined ? {} : { priority }) }),
    );
  const schema = () => h.s.tenant.schemaName;

  it('assigns by role, skills and resources, holds the resources, and explains the rest', async () => {
    const t1 = await create('laser_treatment', 90);
    const t2 = await create('laser_treatment', 80);
    const c1 = await create('call');
    const s1 = await create('surgery');
    assert.equal(t1.state, 'READY');
    const before = await explainDispatch(h.s.db, env, { pid: t2.pid });
    assert.equal(before.code, 'resource_busy', before.reason);
    assert.equal((await explainDispatch(h.s.db, env, { pid: t1.pid })).code, 'next_round');

    const r = await dispatchRound(h.s.db, env);
    const got = new Map(r.assigned.map((a) => [a.pid, a]));
    assert.equal(got.get(t1.pid)!.operatorId, users.amy);
    assert.equal(got.get(t1.pid)!.allocations.length, 2);
    assert.equal(got.get(c1.pid)!.operatorId, users.bob, 'bob has the lighter load');
    assert.ok(!got.has(t2.pid) && !got.has(s1.pid));
    const why = new Map(r.waiting.map((w) => [w.pid, w]));
    assert.match(why.get(t2.pid)!.reason, /device busy until 2026-11-30T02:30:00.000Z/);
    assert.match(why.get(s1.pid)!.reason, /no operator with role surgeon/);

    const row = await h.s.db.run<{ operator_id: string; state: string }>(
      sql`SELECT operator_id, state FROM ${sql.id(schema(), '_process')} WHERE pid = ${t1.pid}`,
    );
    assert.deepEqual(row.rows[0], { operator_id: users.amy, state: 'READY' });
    const ev = await h.s.db.run<{ transition: string }>(
      sql`SELECT transition FROM ${sql.id(schema(), '_process_event')} WHERE pid = ${t1.pid} ORDER BY at, id`,
    );
    assert.ok(ev.rows.some((e) => e.transition === 'assign'));
    const explained = await explainDispatch(h.s.db, env, { pid: t1.pid });
    assert.equal(explained.code, 'assigned');
    assert.equal((await explainDispatch(h.s.db, env, { pid: s1.pid })).code, 'no_operator');

    // Half an hour later the laser is free again: the second treatment goes.
    now += 30 * 60_000;
    const next = await dispatchRound(h.s.db, env);
    assert.deepEqual(
      next.assigned.map((a) => a.pid),
      [t2.pid],
    );
    await assert.rejects(explainDispatch(h.s.db, env, { pid: 'nope' }), { code: 'KERNEL_PROCESS_NOT_FOUND' });
  });

  it('admits a booked slot when its start comes and gives it to the booked person', async () => {
    const start = new Date(now + 60 * 60_000).toISOString();
    const booked = await h.s.db.transaction((tx) => bookSlot(tx, env, { service: 'consult', start }));
    assert.equal(booked.process.state, 'NEW');
    const early = await dispatchRound(h.s.db, env, { options: { maxLoad: 100 } });
    assert.ok(!early.assigned.some((a) => a.pid === booked.process.pid));
    now += 60 * 60_000;
    const round = await dispatchRound(h.s.db, env, { options: { maxLoad: 100 } });
    const mine = round.assigned.find((a) => a.pid === booked.process.pid);
    assert.equal(mine?.operatorId, users.amy);
    assert.equal(mine!.allocations.length, 0, 'its booking is its allocation: no second hold');
    const allocs = await h.s.db.run<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ${sql.id(schema(), '_allocation')} WHERE pid = ${booked.process.pid}`,
    );
    assert.equal(allocs.rows[0]!.n, 1);
  });

  it('two instances dispatching at once never assign a process twice nor overbook a resource', async () => {
    for (let i = 0; i < 30; i++) await create(i % 3 === 0 ? 'laser_treatment' : 'call', i % 100);
    const dbs = other ? [h.s.db, other, h.s.db, other] : [h.s.db, h.s.db];
    const rounds = await Promise.all(dbs.map((db) => dispatchRound(db, env, { options: { maxLoad: 50 } })));
    const pids = rounds.flatMap((r) => r.assigned.map((a) => a.pid));
    assert.equal(new Set(pids).size, pids.length, 'a process assigned in two rounds');
    assert.ok(pids.length > 0);
    const twice = await h.s.db.run<{ n: number }>(sql`SELECT count(*)::int AS n FROM (
      SELECT pid FROM ${sql.id(schema(), '_process_event')} WHERE transition = 'assign' GROUP BY pid HAVING count(*) > 1) x`);
    assert.equal(twice.rows[0]!.n, 0);
    const alloc = await h.s.db.run<{
      resource_id: string;
      s: string;
      e: string;
      quantity: number;
      capacity: number;
    }>(
      sql`SELECT a.resource_id, a.start_at::text AS s, a.end_at::text AS e, a.quantity, r.capacity
        FROM ${sql.id(schema(), '_allocation')} a JOIN ${sql.id(schema(), 'resource')} r ON r.id = a.resource_id
        WHERE a.released_at IS NULL`,
    );
    const byResource = new Map<string, { start: number; end: number; quantity: number }[]>();
    for (const a of alloc.rows) {
      const list = byResource.get(a.resource_id) ?? [];
      list.push({ start: Date.parse(a.s), end: Date.parse(a.e), quantity: a.quantity });
      byResource.set(a.resource_id, list);
    }
    for (const a of alloc.rows) {
      const uses = byResource.get(a.resource_id)!;
      for (const u of uses) assert.ok(peakUse(uses, u.start, u.start + 1) <= a.capacity);
    }
  });
});
