/**
 * Durable timers against a real database: due by the injected clock, fired once into the outbox in the
 * transaction that marks them, cancellable until then; two instances on PostgreSQL fire each timer once.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { newId } from '@tenon/core';
import { type Database, registerMigrations, sql, type Tenant } from '@tenon/db';
import { createTestTenant, openTestDatabase, testDatabaseKind } from '@tenon/db/testing';
import { kernelMigrations } from '../../kernel-module.ts';
import { cancelProcessTimers, cancelTimer, scheduleTimer } from '../schedule-timer.ts';
import { TimerLoop } from '../timer-loop.ts';

type OutboxRow = { topic: string; entity: string; record_id: string; payload: Record<string, unknown> };

describe('timers', () => {
  let db: Database;
  let tenant: Tenant;
  let now = new Date('2026-05-01T08:00:00.000Z');
  const clock = { now: () => new Date(now) };
  const loop = (handle = db) => new TimerLoop({ db: handle, clock, tenants: async () => [tenant] });
  const outbox = async () =>
    (
      await db.run<OutboxRow>(
        sql`SELECT topic, entity, record_id::text, payload FROM ${sql.id(tenant.schemaName, '_outbox')} ORDER BY id`,
      )
    ).rows;

  before(async () => {
    registerMigrations(kernelMigrations);
    db = await openTestDatabase();
    tenant = await createTestTenant(db);
  });
  after(() => db.close());
  beforeEach(async () => {
    now = new Date('2026-05-01T08:00:00.000Z');
    await db.run(sql`DELETE FROM ${sql.id(tenant.schemaName, '_outbox')}`);
    await db.run(sql`DELETE FROM ${sql.id(tenant.schemaName, '_timer')}`);
  });

  it('fires timers when the clock reaches them, once, as outbox events', async () => {
    const pid = newId();
    const ids = await db.transaction(async (tx) => [
      await scheduleTimer(tx, tenant.schemaName, {
        dueAt: '2026-05-01T08:05:00Z',
        pid,
        payload: { step: 'wait' },
      }),
      await scheduleTimer(tx, tenant.schemaName, {
        dueAt: new Date('2026-05-01T08:01:00Z'),
        rule: 'remind_approver',
        topic: 'reminder.due',
        payload: { order: 'PO-1' },
      }),
      await scheduleTimer(tx, tenant.schemaName, { dueAt: '2026-05-02T00:00:00Z' }),
    ]);
    const l = loop();
    assert.equal(await l.fireDue(), 0);
    assert.deepEqual(await outbox(), []);

    now = new Date('2026-05-01T08:05:00.000Z');
    assert.equal(await l.fireDue(), 2);
    assert.equal(await l.fireDue(), 0, 'a fired timer does not fire again');
    assert.deepEqual(await outbox(), [
      {
        topic: 'reminder.due',
        entity: '_timer',
        record_id: ids[1],
        payload: {
          order: 'PO-1',
          timerId: ids[1],
          pid: null,
          rule: 'remind_approver',
          dueAt: '2026-05-01T08:01:00.000Z',
          firedAt: '2026-05-01T08:05:00.000Z',
        },
      },
      {
        topic: 'timer.fired',
        entity: '_process',
        record_id: pid,
        payload: {
          step: 'wait',
          timerId: ids[0],
          pid,
          rule: null,
          dueAt: '2026-05-01T08:05:00.000Z',
          firedAt: '2026-05-01T08:05:00.000Z',
        },
      },
    ]);
    const fired = await db.run<{ id: string; fired_at: string | null }>(
      sql`SELECT id::text, fired_at::text FROM ${sql.id(tenant.schemaName, '_timer')} WHERE fired_at IS NULL`,
    );
    assert.deepEqual(
      fired.rows.map((r) => r.id),
      [ids[2]],
    );
  });

  it('cancels unfired timers, by id or by process, and never a fired one', async () => {
    const pid = newId();
    const [a, b, c] = await db.transaction(async (tx) => [
      await scheduleTimer(tx, tenant.schemaName, { dueAt: '2026-05-01T08:00:00Z' }),
      await scheduleTimer(tx, tenant.schemaName, { dueAt: '2026-05-01T09:00:00Z', pid }),
      await scheduleTimer(tx, tenant.schemaName, { dueAt: '2026-05-01T10:00:00Z', pid }),
    ]);
    assert.equal(await loop().fireDue(), 1);
    assert.equal(await db.transaction((tx) => cancelTimer(tx, tenant.schemaName, a as string)), false);
    assert.equal(await db.transaction((tx) => cancelTimer(tx, tenant.schemaName, b as string)), true);
    assert.equal(await db.transaction((tx) => cancelProcessTimers(tx, tenant.schemaName, pid)), 1);
    now = new Date('2026-05-02T00:00:00.000Z');
    assert.equal(await loop().fireDue(), 0);
    assert.equal((await outbox()).length, 1);
    assert.ok(c);
  });

  it('runs on its own and survives a restart: the table is the state', async () => {
    await db.transaction((tx) => scheduleTimer(tx, tenant.schemaName, { dueAt: '2026-05-01T08:00:30Z' }));
    const first = new TimerLoop({ db, clock, tenants: async () => [tenant], pollMs: 10 });
    first.start();
    await new Promise((r) => setTimeout(r, 60));
    await first.stop();
    assert.equal((await outbox()).length, 0);
    now = new Date('2026-05-01T08:01:00.000Z');
    const second = new TimerLoop({ db, clock, tenants: async () => [tenant], pollMs: 10 });
    second.start();
    const end = Date.now() + 5000;
    while ((await outbox()).length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    await second.stop();
    assert.equal((await outbox()).length, 1);
  });

  it('fires each timer exactly once with two instances racing', {
    skip: testDatabaseKind() === 'pglite',
  }, async () => {
    const other = await openTestDatabase();
    try {
      await db.transaction(async (tx) => {
        for (let i = 0; i < 500; i++) {
          await scheduleTimer(tx, tenant.schemaName, { dueAt: '2026-05-01T07:00:00Z', payload: { i } });
        }
      });
      const [x, y] = [
        new TimerLoop({ db, clock, tenants: async () => [tenant], batch: 7 }),
        new TimerLoop({ db: other, clock, tenants: async () => [tenant], batch: 7 }),
      ];
      const counts = await Promise.all([x.fireDue(), y.fireDue(), x.fireDue(), y.fireDue()]);
      assert.equal(
        counts.reduce((a, b) => a + b, 0),
        500,
      );
      const rows = await outbox();
      assert.equal(rows.length, 500);
      assert.equal(new Set(rows.map((r) => r.payload.i)).size, 500);
    } finally {
      await other.close();
    }
  });
});
