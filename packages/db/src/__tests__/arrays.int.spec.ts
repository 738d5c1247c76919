/**
 * Typed array parameters (binary on PostgreSQL, plain arrays on PGlite) read back by the server
 * exactly as written, whatever the engine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { ArrayParam, encodeArray, numericDigits, typedArray } from '../arrays.ts';
import { openTestDatabase } from '../testing.ts';
import type { Database } from '../types.ts';

describe('typed array parameters', () => {
  let db: Database;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.close());

  const roundTrip = async (element: Parameters<typeof typedArray>[0], values: (string | null)[]) => {
    const { rows } = await db.run<{ v: string | null }>(
      sql`SELECT x::text AS v FROM unnest(${typedArray(element, values)}) WITH ORDINALITY AS t(x, n) ORDER BY n`,
    );
    return rows.map((r) => r.v);
  };

  it('reads uuids, dates, integers and texts back as sent, nulls included', async () => {
    const uuids = ['0190f5a2-7b3c-7d4e-8f01-23456789abcd', null, '00000000-0000-0000-0000-000000000000'];
    assert.deepEqual(await roundTrip('uuid', uuids), uuids);
    assert.deepEqual(await roundTrip('uuid', ['0190F5A2-7B3C-7D4E-8F01-23456789ABCD']), [
      '0190f5a2-7b3c-7d4e-8f01-23456789abcd',
    ]);
    const dates = ['2026-01-01', '1999-12-31', '2000-01-01', '2024-02-29', null];
    assert.deepEqual(await roundTrip('date', dates), dates);
    assert.deepEqual(await roundTrip('int4', ['1', '-2147483648', '2147483647', null]), [
      '1',
      '-2147483648',
      '2147483647',
      null,
    ]);
    assert.deepEqual(await roundTrip('int8', ['9007199254740993', '-1', null]), [
      '9007199254740993',
      '-1',
      null,
    ]);
    const texts = ['plain', 'with,comma', 'quote " and \\ backslash', '患者 α', '', null, '{"json": 1}'];
    assert.deepEqual(await roundTrip('text', texts), texts);
    assert.deepEqual(await roundTrip('uuid', []), []);
  });

  it('reads numerics back with their value and scale', async () => {
    const cases = [
      '0',
      '0.000',
      '1',
      '-1',
      '1.25',
      '2.500000000',
      '10000',
      '0.0001',
      '-0.00000001',
      '123456789012345678.123456789',
      '9999.9999',
    ];
    assert.deepEqual(await roundTrip('numeric', [...cases, null]), [...cases, null]);
    assert.deepEqual(await roundTrip('numeric', ['+5', '007.50', '.5', '5.']), ['5', '7.50', '0.5', '5']);
  });

  it('encodes any decimal so that the server reads the same number (property)', async () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 27n }), fc.integer({ min: 0, max: 12 }))
      .map(([neg, units, scale]) => {
        const digits = units.toString().padStart(scale + 1, '0');
        const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
        return units === 0n || !neg ? text : `-${text}`;
      });
    await fc.assert(
      fc.asyncProperty(fc.array(decimal, { minLength: 1, maxLength: 40 }), async (values) => {
        const { rows } = await db.run<{ same: boolean }>(
          sql`SELECT bool_and(a = b::numeric AND scale(a) = scale(b::numeric)) AS same
              FROM unnest(${typedArray('numeric', values)}, ${values}::text[]) AS t(a, b)`,
        );
        assert.equal(rows[0]!.same, true);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses malformed elements before anything is sent', () => {
    assert.throws(() => encodeArray(new ArrayParam('uuid', ['not-a-uuid'])), /not a valid uuid/);
    assert.throws(
      () => encodeArray(new ArrayParam('uuid', ['0190f5a2-7b3c-7d4e-8f01-23456789abcg'])),
      /uuid/,
    );
    assert.throws(() => encodeArray(new ArrayParam('date', ['2026-02-30'])), /not a valid date/);
    assert.throws(() => encodeArray(new ArrayParam('int4', ['2147483648'])), /not a valid int4/);
    assert.throws(() => numericDigits('1e5'), /not a valid numeric/);
    assert.throws(() => numericDigits(''), /not a valid numeric/);
  });
});
