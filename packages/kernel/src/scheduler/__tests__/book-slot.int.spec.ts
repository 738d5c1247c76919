import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AppError, fixedClock } from '@tenon/core';
import { type Database, sql } from '@tenon/db';
import { openTestDatabase, testDatabaseKind } from '@tenon/db/testing';
import fc from 'fast-check';
import { BUILTIN_RESOURCE_TYPES } from '../../definitions/resource-type.kind.ts';
import type { KernelEnv } from '../../env.ts';
import { peakUse } from '../domain/capacity.ts';
import { bookSlot } from '../services/book-slot.service.ts';
import { label, type SchedulerHarness, schedulerHarness } from './harness.ts';

const WEEKDAYS = {
  timeZone: 'Asia/Shanghai',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['08:00', '18:00']]])),
  closed: [],
};
// Monday 2026-11-30 10:00 in Shanghai.
const MON_10 = '2026-11-30T02:00:00.000Z';
const at = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

describe('booking slots', () => {
  let h: SchedulerHarness;
  let env: KernelEnv;
  let other: Database | null = null;
  const ids: Record<string, string> = {};

  before(async () => {
    h = await schedulerHarness(fixedClock('2026-11-29T00:00:00Z'));
    for (const t of BUILTIN_RESOURCE_TYPES) await h.save('resource_type', { ...t });
    await h.save('service', {
      name: 'treatment',
      label: label('Treatment', '治疗'),
      durationMinutes: 60,
      resources: [{ type: 'person', skills: ['doctor'] }, { type: 'device' }, { type: 'room' }],
    });
    await h.save('resource_type', { name: 'hall', label: label('Hall'), category: 'room' });
    await h.save('service', {
      name: 'seminar',
      label: label('Seminar'),
      durationMinutes: 30,
      resources: [{ type: 'hall' }],
    });
    ids.doctor = await h.resource({
      code: 'DR-LI',
      name: '李医生',
      type: 'person',
      skills: ['doctor'],
      calendar: WEEKDAYS,
    });
    ids.nurse = await h.resource({ code: 'NS-WANG', name: '王护士', type: 'person', skills: ['nurse'] });
    ids.laser = await h.resource({ code: 'LASER-1', name: 'Laser', type: 'device' });
    ids.room = await h.resource({ code: 'ROOM-1', name: 'Room 1', type: 'room' });
    ids.hall = await h.resource({ code: 'HALL', name: 'Hall', type: 'hall', capacity: 3 });
    env = await h.env();
    if (testDatabaseKind() === 'postgres') other = await openTestDatabase();
  });
  after(async () => {
    await other?.close();
    await h.s.close();
  });

  const book = (start: string, service = 'treatment', db: Database = h.s.db) =>
    db.transaction((tx) => bookSlot(tx, env, { service, start }));
  const count = async (table: string) =>
    (
      await h.s.db.run<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM ${sql.id(h.s.tenant.schemaName, table)}`,
      )
    ).rows[0]!.n;

  it('books a doctor, a laser and a room together', async () => {
    const b = await book(MON_10);
    assert.equal(b.process.state, 'NEW');
    assert.equal(b.process.scheduledStart, MON_10);
    assert.deepEqual(b.allocations.map((a) => a.resourceId).sort(), [ids.doctor, ids.laser, ids.room].sort());
    assert.ok(b.allocations.every((a) => a.kind === 'booking' && a.endAt === at(MON_10, 60)));
  });

  it('refuses an overlapping slot with 409 naming the resource and the clash, writing nothing', async () => {
    const before = [await count('_process'), await count('_allocation')];
    await assert.rejects(book(at(MON_10, 30)), (e: AppError) => {
      assert.equal(e.code, 'KERNEL_RESOURCE_CONFLICT');
      assert.equal(e.status, 409);
      assert.match(e.message, /DR-LI is taken from 2026-11-30T02:00:00.000Z to 2026-11-30T03:00:00.000Z/);
      return true;
    });
    assert.deepEqual([await count('_process'), await count('_allocation')], before);
  });

  it('books the adjacent slot, refuses outside the calendar and unknown resources', async () => {
    await book(at(MON_10, 60));
    // Saturday: the doctor does not work.
    await assert.rejects(book('2026-12-05T02:00:00Z'), { code: 'KERNEL_OUTSIDE_CALENDAR' });
    // 17:30 Shanghai: the hour runs past closing.
    await assert.rejects(book('2026-11-30T09:30:00Z'), { code: 'KERNEL_OUTSIDE_CALENDAR' });
    await assert.rejects(book('2026-11-28T02:00:00Z'), { code: 'KERNEL_BOOKING_INVALID' });
    await assert.rejects(book(MON_10, 'nope'), { code: 'KERNEL_SERVICE_NOT_FOUND' });
  });

  it('16 concurrent bookings of one slot (two app instances on PostgreSQL): exactly capacity succeed', async () => {
    const start = '2026-12-01T03:00:00.000Z';
    const dbs = other ? [h.s.db, other] : [h.s.db];
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) => book(start, 'seminar', dbs[i % dbs.length])),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    assert.equal(ok, 3);
    for (const r of results) {
      if (r.status === 'rejected') assert.equal((r.reason as AppError).code, 'KERNEL_RESOURCE_CONFLICT');
    }
  });

  it('random bookings never exceed capacity at any instant (property)', async () => {
    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261126;
    const base = Date.parse('2026-12-02T00:00:00Z');
    const dbs = other ? [h.s.db, other] : [h.s.db];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 12 }),
        async (slots) => {
          await Promise.allSettled(
            slots.map((q, i) =>
              book(new Date(base + q * 10 * 60_000).toISOString(), 'seminar', dbs[i % dbs.length]),
            ),
          );
          const rows = await h.s.db.run<{ s: Date | string; e: Date | string; quantity: number }>(
            sql`SELECT start_at AS s, end_at AS e, quantity FROM ${sql.id(h.s.tenant.schemaName, '_allocation')}
            WHERE resource_id = ${ids.hall} AND released_at IS NULL`,
          );
          const uses = rows.rows.map((r) => ({
            start: new Date(r.s).getTime(),
            end: new Date(r.e).getTime(),
            quantity: r.quantity,
          }));
          return uses.every((u) => peakUse(uses, u.start, u.start + 1) <= 3);
        },
      ),
      { seed, numRuns: 15 },
    );
  });
});
