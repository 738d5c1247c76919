/**
 * The driver's rows built from an ordinary object (decision 0072): the same rows as node-postgres
 * gives, own properties in column order on Object.prototype, parsed by Tenon's parsers. PostgreSQL
 * only (PGlite has its own driver).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../index.ts';
import { openTestDatabase, testDatabaseKind } from '../testing.ts';

describe('rows from the PostgreSQL driver', { skip: testDatabaseKind() !== 'postgres' }, () => {
  let db: Database;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.close());

  it('are ordinary objects with every column, in order, parsed', async () => {
    const { rows } = await db.query<Record<string, unknown>>(
      `SELECT 1::int AS a, 12.50::numeric(10,2) AS amount, NULL::text AS nothing,
              '2024-01-02 03:04:05.678+00'::timestamptz AS at, '{"k": [1]}'::jsonb AS doc
       FROM generate_series(1, 3)`,
    );
    assert.equal(rows.length, 3);
    for (const row of rows) {
      assert.equal(Object.getPrototypeOf(row), Object.prototype);
      assert.deepEqual(Object.keys(row), ['a', 'amount', 'nothing', 'at', 'doc']);
      assert.deepEqual(row, {
        a: 1,
        amount: '12.50',
        nothing: null,
        at: '2024-01-02T03:04:05.678Z',
        doc: { k: [1] },
      });
    }
    assert.notEqual(rows[0], rows[1]);
  });

  it('keeps a column named __proto__ a property, as the driver does', async () => {
    const { rows } = await db.query<Record<string, unknown>>(`SELECT 1 AS "__proto__", 2 AS b`);
    const row = rows[0]!;
    assert.equal(Object.getPrototypeOf(row), Object.prototype);
    assert.ok(Object.hasOwn(row, '__proto__'));
    assert.equal(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, 1);
    assert.equal(row.b, 2);
  });

  it('lets a repeated column name hold the last value, as the driver does', async () => {
    const { rows } = await db.query<Record<string, unknown>>('SELECT 1 AS x, 2 AS x');
    assert.deepEqual(rows[0], { x: 2 });
  });
});
