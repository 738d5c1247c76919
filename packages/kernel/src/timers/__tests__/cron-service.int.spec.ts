/**
 * Cron schedules on pg-boss against a real database, with pg-boss's own test clock moving time: a
 * schedule in a tenant's time zone appends a `cron` event to that tenant's outbox when it comes due;
 * bad expressions and time zones are refused; schedules are listed and removed per tenant. Both
 * databases (on PGlite through the Database's mutex).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError, systemClock } from '@tenon/core';
import { type Database, sql, type Tenant } from '@tenon/db';
import { createTestTenant, openTestDatabase } from '@tenon/db/testing';
import { TestClock } from 'pg-boss';
import { CronService } from '../cron-service.ts';

describe('cron schedules', () => {
  let db: Database;
  let tenant: Tenant;
  let other: Tenant;
  let cron: CronService;
  const bossSchema = `pgboss_${Math.random().toString(36).slice(2, 10)}`;
  const clock = new TestClock('2026-05-01T07:58:30.000Z');
  const cronEvents = async (t: Tenant) =>
    (
      await db.run<{ topic: string; payload: Record<string, unknown> }>(
        sql`SELECT topic, payload FROM ${sql.id(t.schemaName, '_outbox')} WHERE topic = 'cron' ORDER BY id`,
      )
    ).rows;

  before(async () => {
    db = await openTestDatabase();
    tenant = await createTestTenant(db);
    other = await createTestTenant(db);
    cron = new CronService({ db, clock: systemClock, schema: bossSchema, bossClock: clock });
    await cron.start();
  });
  after(async () => {
    await cron.stop();
    await db.run(sql`DROP SCHEMA IF EXISTS ${sql.id(bossSchema)} CASCADE`);
    await db.close();
  });

  it('refuses bad names, expressions and time zones', async () => {
    const code = (err: unknown) => (err as AppError).code;
    await assert.rejects(cron.upsertSchedule(tenant.name, 'Bad Name', '* * * * *'), (e) => {
      return e instanceof AppError && code(e) === 'KERNEL_CRON_INVALID';
    });
    await assert.rejects(
      cron.upsertSchedule(tenant.name, 'x', 'every day'),
      (e) => code(e) === 'KERNEL_CRON_INVALID',
    );
    await assert.rejects(
      cron.upsertSchedule(tenant.name, 'x', '* * * * *', 'Mars/Olympus'),
      (e) => code(e) === 'KERNEL_CRON_INVALID',
    );
    assert.deepEqual(await cron.listSchedules(tenant.name), []);
  });

  it("fires in the schedule's time zone into the tenant's outbox, and stops once removed", async () => {
    // 16:00 in Shanghai is 08:00 UTC.
    await cron.upsertSchedule(tenant.name, 'daily_report', '0 16 * * *', 'Asia/Shanghai', {
      report: 'stock',
    });
    await cron.upsertSchedule(other.name, 'nightly', '0 3 * * *', 'UTC');
    assert.deepEqual(await cron.listSchedules(tenant.name), [
      { name: 'daily_report', cron: '0 16 * * *', timeZone: 'Asia/Shanghai', data: { report: 'stock' } },
    ]);
    await clock.tick(60_000);
    assert.deepEqual(await cronEvents(tenant), [], 'not due before 08:00 UTC');

    const end = Date.now() + 20_000;
    while ((await cronEvents(tenant)).length === 0) {
      if (Date.now() > end) throw new Error('the schedule did not fire');
      await clock.tick(5_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    const [event] = await cronEvents(tenant);
    assert.equal(event?.payload.schedule, 'daily_report');
    assert.deepEqual(event?.payload.data, { report: 'stock' });
    assert.equal(typeof event?.payload.jobId, 'string');
    assert.deepEqual(await cronEvents(other), [], 'the other tenant is not due');

    await cron.removeSchedule(tenant.name, 'daily_report');
    assert.deepEqual(await cron.listSchedules(tenant.name), []);
    assert.equal((await cron.listSchedules(other.name)).length, 1);
    await clock.setTime('2026-05-02T07:59:50.000Z');
    for (let i = 0; i < 6; i++) await clock.tick(5_000);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await cronEvents(tenant)).length, 1, 'a removed schedule fires no more');
  });
});
