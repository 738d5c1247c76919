/**
 * Several instances and crashes (PostgreSQL: PGlite is one in-process connection, so neither a second
 * instance nor a separate process can reach it). Two dispatchers on two pools deliver each event once;
 * a dispatcher process killed mid-burst and restarted leaves every event's effect exactly once.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { systemClock } from '@tenon/core';
import { type Database, sql, type Tenant } from '@tenon/db';
import { createTestTenant, openTestDatabase, testDatabaseKind } from '@tenon/db/testing';
import { OutboxDispatcher } from '../outbox-dispatcher.ts';
import type { EventHandler } from '../types.ts';

const BURST = 600;
const skip = testDatabaseKind() === 'pglite' ? 'needs PostgreSQL (several connections)' : false;

describe('outbox dispatcher: several instances, crashes', { skip }, () => {
  let db: Database;
  let tenant: Tenant;
  const t = (name: string) => sql.id(tenant.schemaName, name);
  const burst = async () => {
    for (let i = 0; i < BURST; i += 100) {
      await db.run(sql`INSERT INTO ${t('_outbox')} (topic, payload)
        SELECT 'burst', jsonb_build_object('i', g) FROM generate_series(${i}::int, ${i + 99}::int) g`);
    }
  };
  const effects = async () =>
    (
      await db.run<{ n: number; distinct_n: number; pids: number }>(
        sql`SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_n, count(DISTINCT pid)::int AS pids
          FROM ${t('effect')}`,
      )
    ).rows[0] as { n: number; distinct_n: number; pids: number };
  const pending = async () =>
    (await db.run<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${t('_outbox')}`)).rows[0]?.n ?? -1;
  const until = async (check: () => Promise<boolean>, ms = 30_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  before(async () => {
    db = await openTestDatabase();
    tenant = await createTestTenant(db);
    await db.run(sql`CREATE TABLE ${t('effect')} (event_id bigint NOT NULL, pid integer NOT NULL)`);
  });
  after(() => db.close());
  beforeEach(() => db.run(sql`DELETE FROM ${t('effect')}`));

  it('two instances deliver each event to the handlers exactly once', async () => {
    const other = await openTestDatabase();
    const handler = (instance: number): EventHandler => ({
      name: 'effect',
      async handle(tx, event) {
        await tx.run(sql`INSERT INTO ${t('effect')} (event_id, pid) VALUES (${event.id}, ${instance})`);
      },
    });
    const make = (handle: Database, instance: number) =>
      new OutboxDispatcher({
        db: handle,
        clock: systemClock,
        handlers: [handler(instance)],
        tenants: async () => [tenant],
        pollMs: 20,
      });
    const [a, b] = [make(db, 1), make(other, 2)];
    await Promise.all([a.start(), b.start()]);
    try {
      await burst();
      await until(async () => (await pending()) === 0);
      const e = await effects();
      assert.equal(e.n, BURST);
      assert.equal(e.distinct_n, BURST);
      assert.equal(e.pids, 2, 'both instances took part');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await other.close();
    }
  });

  it('a dispatcher killed mid-burst loses and duplicates nothing after restart', async () => {
    const script = fileURLToPath(new URL('./dispatch-child.ts', import.meta.url));
    const startChild = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        env: { ...process.env, CHILD_SCHEMA: tenant.schemaName, CHILD_TENANT: tenant.name },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout?.on('data', (d) => {
        out += String(d);
      });
      const end = Date.now() + 30_000;
      while (!out.includes('ready')) {
        if (child.exitCode !== null || Date.now() > end) throw new Error(`child did not start: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return child;
    };
    await burst();
    const first = await startChild();
    await until(async () => (await effects()).n >= BURST / 5);
    first.kill('SIGKILL');
    await once(first, 'exit');
    const midway = await effects();
    assert.ok(midway.n < BURST, `the kill landed mid-burst (${midway.n} done)`);
    assert.equal(await pending(), BURST - midway.n, 'every committed effect removed exactly its event');

    const second = await startChild();
    try {
      await until(async () => (await pending()) === 0);
      const e = await effects();
      assert.equal(e.n, BURST);
      assert.equal(e.distinct_n, BURST);
      assert.equal(e.pids, 2);
    } finally {
      second.kill('SIGKILL');
      await once(second, 'exit');
    }
  });
});
