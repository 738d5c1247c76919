/**
 * The database layer on whichever engine the run uses (PGlite by default, PostgreSQL with
 * TEST_DATABASE_URL): value parsing, transactions, context, retries, tenants.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError } from '@tenon/core';
import { sql } from 'kysely';
import { migratePlatform, PLATFORM_SCHEMA } from '../migrations.ts';
import { createTenant, findTenant, type Tenant } from '../tenants.ts';
import { createTestTenant, openTestDatabase, testDatabaseKind } from '../testing.ts';
import type { Database, Tx } from '../types.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};
const tick = () => new Promise((resolve) => setTimeout(resolve, 15));

describe('database layer', () => {
  let db: Database;
  let tenant: Tenant;
  const table = (name: string) => sql.id(tenant.schemaName, name);

  before(async () => {
    db = await openTestDatabase();
    tenant = await createTestTenant(db);
    await db.run(sql`CREATE TABLE ${table('counter')} (id int PRIMARY KEY, n int NOT NULL)`);
    await db.run(sql`INSERT INTO ${table('counter')} VALUES (1, 0)`);
    await db.run(sql`CREATE TABLE ${table('ledger')} (amount int NOT NULL)`);
  });
  after(() => db.close());

  it('parses values identically on both engines', async () => {
    const { rows } = await db.query(`SELECT
      12.50::numeric(10,2) AS money, 0.1::numeric + 0.2::numeric AS sum, 12345678901234567890.123456789::numeric AS big,
      9007199254740993::int8 AS int8, 42::int4 AS int4, 7::int2 AS int2,
      DATE '2025-01-07' AS day,
      TIMESTAMPTZ '2025-01-07 10:30:00.123+08' AS at, TIMESTAMP '2025-01-07 10:30:00' AS naive,
      TIME '09:30:15' AS clock, true AS yes, 'α 患者'::text AS txt,
      '{"a": [1, "x", null], "b": {"c": 1.5}}'::jsonb AS doc, '[1,2]'::json AS arr,
      NULL::numeric AS nothing`);
    assert.deepEqual(rows[0], {
      money: '12.50',
      sum: '0.3',
      big: '12345678901234567890.123456789',
      int8: '9007199254740993',
      int4: 42,
      int2: 7,
      day: '2025-01-07',
      at: '2025-01-07T02:30:00.123Z',
      naive: '2025-01-07T10:30:00.000Z',
      clock: '09:30:15',
      yes: true,
      txt: 'α 患者',
      doc: { a: [1, 'x', null], b: { c: 1.5 } },
      arr: [1, 2],
      nothing: null,
    });
  });

  it('parses the same way inside a transaction and for bound parameters', async () => {
    const row = await db.transaction(async (tx) => {
      const { rows } = await tx.run<Record<string, unknown>>(
        sql`SELECT ${'2025-06-30'}::date AS day, ${'1.10'}::numeric AS n, ${'2025-06-30T23:59:59Z'}::timestamptz AS at, ${JSON.stringify({ k: '值' })}::jsonb AS j`,
      );
      return rows[0];
    });
    assert.deepEqual(row, { day: '2025-06-30', n: '1.10', at: '2025-06-30T23:59:59.000Z', j: { k: '值' } });
  });

  it('rolls a transaction back when its function throws, and rethrows the same error', async () => {
    const boom = new Error('boom');
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.run(sql`INSERT INTO ${table('ledger')} VALUES (1)`);
        await tx.run(sql`UPDATE ${table('counter')} SET n = 99`);
        throw boom;
      }),
      (err) => err === boom,
    );
    // a failing statement rolls back the earlier ones too
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.run(sql`INSERT INTO ${table('ledger')} VALUES (2)`);
        await tx.run(sql`INSERT INTO ${table('ledger')} VALUES (NULL)`);
      }),
      (err: { code?: string }) => err.code === '23502',
    );
    assert.deepEqual((await db.run(sql`SELECT count(*)::int AS c FROM ${table('ledger')}`)).rows, [{ c: 0 }]);
    assert.deepEqual((await db.run(sql`SELECT n FROM ${table('counter')}`)).rows, [{ n: 0 }]);
    // and the connection is usable afterwards
    await db.transaction((tx) => tx.run(sql`INSERT INTO ${table('ledger')} VALUES (5)`));
    assert.deepEqual((await db.run(sql`SELECT amount FROM ${table('ledger')}`)).rows, [{ amount: 5 }]);
  });

  it('makes context values visible through current_setting inside the transaction only', async () => {
    const setting = (ex: Database | Tx) =>
      ex
        .query<{ user: string | null; tenant: string | null }>(
          `SELECT current_setting('tenon.user', true) AS user, current_setting('tenon.tenant', true) AS tenant`,
        )
        .then((r) => r.rows[0]!);
    const inside = await db.transaction((tx) => setting(tx), {
      context: { user: 'alice', tenant: tenant.name },
    });
    assert.deepEqual(inside, { user: 'alice', tenant: tenant.name });
    // after commit (and after a rollback) nothing is left, on any pooled connection
    await assert.rejects(
      db.transaction(
        async () => {
          throw new Error('x');
        },
        { context: { user: 'mallory' } },
      ),
    );
    for (let i = 0; i < 4; i++) {
      const outside = await Promise.all([setting(db), db.transaction((tx) => setting(tx))]);
      for (const s of outside) assert.ok(!s.user && !s.tenant, JSON.stringify(s));
    }
    // concurrent transactions each see only their own context
    const seen = await Promise.all(
      ['u1', 'u2', 'u3'].map((user) =>
        db.transaction(
          async (tx) => {
            await tick();
            return (await setting(tx)).user;
          },
          { context: { user } },
        ),
      ),
    );
    assert.deepEqual(seen, ['u1', 'u2', 'u3']);
    // a value is bound, never spliced into SQL; keys are checked
    const quoted = await db.transaction((tx) => setting(tx), { context: { user: "o'brien; DROP TABLE x" } });
    assert.equal(quoted.user, "o'brien; DROP TABLE x");
    await assert.rejects(
      db.transaction(async () => 1, { context: { 'bad key': 'x' } }),
      /invalid context key/,
    );
  });

  it('surfaces a transaction that keeps failing with 40001 as CONCURRENCY_RETRY_EXHAUSTED (409)', async () => {
    let attempts = 0;
    await assert.rejects(
      db.transaction(
        async () => {
          attempts++;
          throw { code: '40001', message: 'could not serialize access' };
        },
        { retries: 2 },
      ),
      (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, 'CONCURRENCY_RETRY_EXHAUSTED');
        assert.equal(err.status, 409);
        return true;
      },
    );
    assert.equal(attempts, 3);
    // deadlocks are retried the same way; the default is four retries
    attempts = 0;
    await assert.rejects(
      db.transaction(async () => {
        attempts++;
        throw { code: '40P01' };
      }),
      (err: unknown) => err instanceof AppError && err.code === 'CONCURRENCY_RETRY_EXHAUSTED',
    );
    assert.equal(attempts, 5);
  });

  it('retries a transient failure and returns the value of the attempt that succeeds', async () => {
    let attempts = 0;
    const result = await db.transaction(async (tx) => {
      attempts++;
      await tx.run(sql`INSERT INTO ${table('ledger')} VALUES (${attempts * 100})`);
      if (attempts < 3) throw { code: '40001' };
      return 'done';
    });
    assert.equal(result, 'done');
    assert.equal(attempts, 3);
    // the failed attempts were rolled back
    const { rows } = await db.run(sql`SELECT amount FROM ${table('ledger')} WHERE amount >= 100`);
    assert.deepEqual(rows, [{ amount: 300 }]);
    // other errors are not retried
    attempts = 0;
    await assert.rejects(
      db.transaction(async () => {
        attempts++;
        throw { code: '23505' };
      }),
      (err: { code?: string }) => err.code === '23505',
    );
    assert.equal(attempts, 1);
  });

  const onPglite = testDatabaseKind() === 'pglite';

  it('reruns a SERIALIZABLE transaction that lost a real serialization conflict (40001)', {
    skip: onPglite && 'PGlite is one connection: two transactions can never overlap to conflict',
  }, async () => {
    // Write skew: both read the total, then both insert. One of them must be rerun.
    const sumOf = async (tx: Tx) =>
      Number(
        (await tx.run<{ s: string }>(sql`SELECT coalesce(sum(amount), 0) AS s FROM ${table('ledger')}`))
          .rows[0]!.s,
      );
    await db.run(sql`DELETE FROM ${table('ledger')}`);
    const firstRead = deferred();
    const secondRead = deferred();
    let secondAttempts = 0;
    const first = db.transaction(
      async (tx) => {
        const total = await sumOf(tx);
        firstRead.resolve();
        await secondRead.promise;
        await tx.run(sql`INSERT INTO ${table('ledger')} VALUES (${total + 1})`);
        return total;
      },
      { isolation: 'serializable', retries: 0 },
    );
    const second = db.transaction(
      async (tx) => {
        secondAttempts++;
        await firstRead.promise;
        const total = await sumOf(tx);
        if (secondAttempts === 1) {
          secondRead.resolve();
          await first; // the first commits while this one still holds its stale read
        }
        await tx.run(sql`INSERT INTO ${table('ledger')} VALUES (${total + 10})`);
        return total;
      },
      { isolation: 'serializable' },
    );
    assert.equal(await first, 0);
    // the rerun saw the first transaction's row
    assert.equal(await second, 1);
    assert.equal(secondAttempts, 2);
    const { rows } = await db.run(sql`SELECT amount FROM ${table('ledger')} ORDER BY amount`);
    assert.deepEqual(rows, [{ amount: 1 }, { amount: 11 }]);
  });

  it('takes PGlite transactions (and plain statements) in turn, never interleaved', {
    skip: !onPglite && 'a PostgreSQL pool runs transactions side by side, by design',
  }, async () => {
    const events: string[] = [];
    const increment = (name: string) =>
      db.transaction(async (tx) => {
        events.push(`${name}:begin`);
        const { rows } = await tx.run<{ n: number }>(sql`SELECT n FROM ${table('counter')}`);
        await tick(); // a chance for another transaction to slip in: it must not
        await tx.run(sql`UPDATE ${table('counter')} SET n = ${rows[0]!.n + 1}`);
        events.push(`${name}:end`);
      });
    const read = () =>
      db
        .run<{ n: number }>(sql`SELECT n FROM ${table('counter')}`)
        .then((r) => events.push(`read:${r.rows[0]!.n}`));
    // queued in this order: a, b, a plain statement, c
    await Promise.all([increment('a'), increment('b'), read(), increment('c')]);
    assert.deepEqual(events, ['a:begin', 'a:end', 'b:begin', 'b:end', 'read:2', 'c:begin', 'c:end']);
    // read-modify-write without locks lost no update
    assert.deepEqual((await db.run(sql`SELECT n FROM ${table('counter')}`)).rows, [{ n: 3 }]);
  });

  it('creates a tenant as a schema holding the meta tables', async () => {
    const { rows } = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [tenant.schemaName],
    );
    const tables = rows.map((r) => r.table_name);
    for (const t of [
      '_file',
      '_idempotency',
      '_meta_entity',
      '_meta_entity_history',
      '_migration',
      '_sequence',
    ]) {
      assert.ok(tables.includes(t), `${t} missing from ${tables.join(', ')}`);
    }
    assert.equal(tenant.schemaName, `t_${tenant.name}`);
    assert.deepEqual(await findTenant(db, tenant.name), tenant);
    assert.deepEqual(tenant.settings, { timeZone: 'Asia/Shanghai', currency: 'CNY' });
    // migrations are recorded and not run twice
    assert.deepEqual(await migratePlatform(db), []);
  });

  it('refuses a bad tenant name with 422 and writes nothing', async () => {
    const count = async () =>
      (await db.run<{ c: number }>(sql`SELECT count(*)::int AS c FROM ${sql.id(PLATFORM_SCHEMA, 'tenant')}`))
        .rows[0]!.c;
    const before = await count();
    for (const name of [
      'A',
      'Bad',
      'bad-name',
      '1abc',
      '_abc',
      'a',
      'x'.repeat(41),
      'a b',
      'drop;table',
      '患者',
    ]) {
      await assert.rejects(createTenant(db, { name }), (err: unknown) => {
        assert.ok(err instanceof AppError, name);
        assert.equal(err.code, 'TENANT_NAME_INVALID');
        assert.equal(err.status, 422);
        return true;
      });
    }
    assert.equal(await count(), before);
  });

  it('refuses a duplicate tenant with 409 and leaves the first one intact', async () => {
    await assert.rejects(
      createTenant(db, { name: tenant.name, settings: { currency: 'USD' } }),
      (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, 'TENANT_EXISTS');
        assert.equal(err.status, 409);
        assert.match(err.message, new RegExp(tenant.name));
        return true;
      },
    );
    assert.deepEqual(await findTenant(db, tenant.name), tenant);
    // and the schema still holds what it held
    assert.deepEqual((await db.run(sql`SELECT n FROM ${table('counter')}`)).rows.length, 1);
  });
});
