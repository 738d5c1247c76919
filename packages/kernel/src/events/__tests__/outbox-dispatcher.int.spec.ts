/**
 * The outbox dispatcher against a real database: delivery inside the consuming transaction, rollback
 * and retry with backoff, dead letters, NOTIFY wake-ups, live fan-out with the NOTIFY size limit. Both
 * databases.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { systemClock } from '@tenon/core';
import { type Database, sql, type Tenant } from '@tenon/db';
import { createTestTenant, openTestDatabase } from '@tenon/db/testing';
import { appendEvents } from '@tenon/design';
import { LiveBus } from '../live-bus.ts';
import { OutboxDispatcher } from '../outbox-dispatcher.ts';
import type { EventHandler, KernelEvent, LiveEvent } from '../types.ts';

const actor = { userId: null, username: 'tester' };

const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('outbox dispatcher', () => {
  let db: Database;
  let tenant: Tenant;
  let seen: KernelEvent[];
  let failTopic: string | null;
  const recorder: EventHandler = {
    name: 'recorder',
    async handle(tx, event) {
      await tx.run(
        sql`INSERT INTO ${sql.id(tenant.schemaName, 'effect')} (event_id, topic) VALUES (${event.id}, ${event.topic})`,
      );
      if (event.topic === failTopic) throw new Error('handler refused');
      seen.push(event);
    },
  };
  const dispatcher = (extra: Partial<ConstructorParameters<typeof OutboxDispatcher>[0]> = {}) =>
    new OutboxDispatcher({
      db,
      clock: systemClock,
      handlers: [recorder],
      tenants: async () => [tenant],
      backoff: { baseMs: 1, maxMs: 2 },
      ...extra,
    });
  const emit = (topic: string, payload: Record<string, unknown> = {}) =>
    db.transaction((tx) =>
      appendEvents(tx, tenant.schemaName, [{ topic, entity: 'item', recordId: null, payload }], { actor }),
    );
  const count = async (table: string) =>
    Number(
      (await db.run<{ n: string }>(sql`SELECT count(*)::text AS n FROM ${sql.id(tenant.schemaName, table)}`))
        .rows[0]?.n,
    );

  before(async () => {
    db = await openTestDatabase();
    tenant = await createTestTenant(db);
    await db.run(sql`CREATE TABLE ${sql.id(tenant.schemaName, 'effect')} (event_id bigint, topic text)`);
  });
  after(() => db.close());
  beforeEach(async () => {
    seen = [];
    failTopic = null;
    await db.run(sql`DELETE FROM ${sql.id(tenant.schemaName, 'effect')}`);
    await db.run(sql`DELETE FROM ${sql.id(tenant.schemaName, '_outbox')}`);
  });

  it('delivers each event to the handlers in the consuming transaction, in order, then removes it', async () => {
    await emit('thing.one', { n: 1 });
    await emit('thing.two', { n: 2 });
    const d = dispatcher({ concurrency: 1 });
    assert.equal(await d.drain(), 2);
    assert.deepEqual(
      seen.map((e) => [e.topic, e.payload, e.tenant, e.schema, e.actor.username, e.cause.depth]),
      [
        ['thing.one', { n: 1 }, tenant.name, tenant.schemaName, 'tester', 0],
        ['thing.two', { n: 2 }, tenant.name, tenant.schemaName, 'tester', 0],
      ],
    );
    assert.ok(Number(seen[0]?.id) < Number(seen[1]?.id));
    assert.match(seen[0]?.createdAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(await count('_outbox'), 0);
    assert.equal(await count('effect'), 2);
    assert.equal(await d.drain(), 0);
  });

  it('rolls a failing delivery back, retries with backoff and dead-letters after maxAttempts', async () => {
    failTopic = 'thing.bad';
    await emit('thing.bad');
    await emit('thing.good');
    const logs: string[] = [];
    // One consumer: with a 1 ms backoff, a second one could retry the event within the same pass.
    const d = dispatcher({ maxAttempts: 3, concurrency: 1, log: (m) => logs.push(m) });
    assert.equal(await d.drain(), 1, 'the good event is not held up by the bad one');
    assert.deepEqual(
      seen.map((e) => e.topic),
      ['thing.good'],
    );
    const row = (
      await db.run<{ attempts: number; last_error: string; later: boolean }>(
        sql`SELECT attempts, last_error, available_at > now() AS later FROM ${sql.id(tenant.schemaName, '_outbox')}`,
      )
    ).rows;
    assert.equal(row.length, 1);
    assert.equal(row[0]?.attempts, 1);
    assert.match(row[0]?.last_error ?? '', /handler refused/);
    assert.equal(await count('effect'), 1, "the failing handler's write was rolled back");
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      await d.drain();
    }
    assert.equal(await count('_outbox'), 0);
    const dead = (
      await db.run<{ topic: string; attempts: number }>(
        sql`SELECT topic, attempts FROM ${sql.id(tenant.schemaName, '_outbox_dead')}`,
      )
    ).rows;
    assert.deepEqual(dead, [{ topic: 'thing.bad', attempts: 3 }]);
    assert.deepEqual(logs, ['event delivery failed', 'event delivery failed', 'event dead-lettered']);
    assert.equal(await count('effect'), 1);
  });

  it('wakes on the outbox notification once started, and fans delivered events out live', async () => {
    const bus = new LiveBus(db);
    await bus.start();
    const live: LiveEvent[] = [];
    const other: LiveEvent[] = [];
    const unsubscribe = bus.subscribe(tenant.schemaName, (e) => live.push(e));
    bus.subscribe('t_someone_else', (e) => other.push(e));
    const d = dispatcher({ pollMs: 60_000 });
    await d.start();
    try {
      await emit('thing.live', { small: 'yes' });
      await until(() => live.length === 1);
      assert.equal(seen.length, 1);
      assert.deepEqual(
        { ...live[0], at: undefined },
        { topic: 'thing.live', entity: 'item', recordId: null, payload: { small: 'yes' }, at: undefined },
      );
      assert.equal(live[0]?.at, seen[0]?.createdAt);

      const big = 'x'.repeat(20_000);
      await emit('thing.big', { big });
      await until(() => live.length === 2);
      assert.deepEqual(live[1]?.payload, { truncated: true, eventId: seen[1]?.id });
      assert.equal(seen[1]?.payload.big, big, 'handlers still receive the full payload');

      unsubscribe();
      await emit('thing.after');
      await until(() => seen.length === 3);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(live.length, 2);
      assert.equal(other.length, 0);
    } finally {
      await d.stop();
      await bus.stop();
    }
  });

  it('polls when no notification comes', async () => {
    const d = dispatcher({ pollMs: 30 });
    await d.start();
    try {
      await db.run(sql`INSERT INTO ${sql.id(tenant.schemaName, '_outbox')} (topic) VALUES ('thing.silent')`);
      await until(() => seen.length === 1);
      assert.equal(seen[0]?.topic, 'thing.silent');
      assert.equal(seen[0]?.actor.username, undefined);
    } finally {
      await d.stop();
    }
  });
});
