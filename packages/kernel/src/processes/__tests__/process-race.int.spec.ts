/**
 * Two app instances (two pools) on one PostgreSQL claim and start the same tasks at once: the row lock
 * lets exactly one win each race, the other gets a coded 409, and the history shows one claim.
 * PGlite has one connection, so there is no race to run there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock, isAppError } from '@tenon/core';
import { type Database, openPostgres, sql } from '@tenon/db';
import { testDatabaseKind } from '@tenon/db/testing';
import type { KernelEnv } from '../../env.ts';
import { createProcess } from '../../services/create-process.service.ts';
import { transitionProcess } from '../../services/transition-process.service.ts';
import { label, type ProcessHarness, processHarness } from './harness.ts';

describe('process races between two instances', { skip: testDatabaseKind() !== 'postgres' }, () => {
  let h: ProcessHarness;
  let env: KernelEnv;
  let second: Database;

  before(async () => {
    h = await processHarness(fixedClock('2026-07-01T00:00:00.000Z'));
    await h.saveService({ name: 'pick', label: label('Pick') });
    env = await h.env();
    second = await openPostgres({ connectionString: process.env.TEST_DATABASE_URL!, max: 8 });
  });
  after(async () => {
    await second.close();
    await h.s.close();
  });

  it('exactly one of two simultaneous claims wins, for every task', async () => {
    const tasks = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.s.db.transaction((tx) => createProcess(tx, env, { service: 'pick' })),
      ),
    );
    const claim = (db: Database, pid: string, operatorId: string) =>
      db
        .transaction((tx) => transitionProcess(tx, env, { pid, transition: 'claim', operatorId }))
        .then(
          (p) => ({ ok: true as const, operatorId: p.operatorId }),
          (e: unknown) => {
            if (!isAppError(e)) throw e;
            return { ok: false as const, code: e.code };
          },
        );
    for (const t of tasks) {
      const [a, b] = await Promise.all([claim(h.s.db, t.pid, 'alice'), claim(second, t.pid, 'bob')]);
      const winners = [a, b].filter((r) => r.ok);
      assert.equal(winners.length, 1, JSON.stringify([a, b]));
      const loser = [a, b].find((r) => !r.ok) as { code: string };
      assert.equal(loser.code, 'KERNEL_PROCESS_TAKEN');
    }
    const claims = await h.s.db.run<{ n: number }>(sql`SELECT count(*)::int AS n
      FROM ${sql.id(h.s.tenant.schemaName, '_process_event')} WHERE transition = 'claim'`);
    assert.equal(claims.rows[0]!.n, tasks.length);
  });

  it('two starts of one task: one RUNNING, the other refused as illegal', async () => {
    const t = await h.s.db.transaction((tx) => createProcess(tx, env, { service: 'pick' }));
    const start = (db: Database, operatorId: string) =>
      db
        .transaction((tx) => transitionProcess(tx, env, { pid: t.pid, transition: 'start', operatorId }))
        .then(
          () => 'ok',
          (e: unknown) => (isAppError(e) ? e.code : Promise.reject(e)),
        );
    const results = (await Promise.all([start(h.s.db, 'alice'), start(second, 'bob')])).sort();
    assert.deepEqual(results, ['KERNEL_ILLEGAL_TRANSITION', 'ok']);
  });
});
