/**
 * The instant parser's fast path for the server's UTC text must give exactly what the general path
 * (a Date round trip) gives, for every precision PostgreSQL sends; other shapes take the general path.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { poolSizeFromEnv } from '../open.ts';
import { parseInstant } from '../parsers.ts';

const slowPath = (text: string) => {
  const [day, rest] = text.split(' ') as [string, string];
  return new Date(`${day}T${rest.slice(0, -3)}+00:00`).toISOString();
};

/** What PostgreSQL prints for a timestamptz in UTC: trailing zeros of the fraction dropped. */
const pgText = (ms: number, micros: number) => {
  const iso = new Date(ms).toISOString();
  const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}+00`;
};

describe('parseInstant', () => {
  it('rewrites UTC text as the Date round trip would, at every precision', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31) }),
        fc.integer({ min: 0, max: 999 }),
        (ms, micros) => {
          const text = pgText(ms, micros);
          assert.equal(parseInstant(text), slowPath(text), text);
        },
      ),
      { seed: Number(process.env.FUZZ_SEED ?? 42), numRuns: 2000 },
    );
  });

  it('handles the edge shapes', () => {
    assert.equal(parseInstant('2026-11-26 21:13:05+00'), '2026-11-26T21:13:05.000Z');
    assert.equal(parseInstant('2026-11-26 21:13:05.1+00'), '2026-11-26T21:13:05.100Z');
    assert.equal(parseInstant('2026-11-26 21:13:05.123456+00'), '2026-11-26T21:13:05.123Z');
    assert.equal(parseInstant('2026-11-26 21:13:05.9999+00'), '2026-11-26T21:13:05.999Z');
    // Not UTC, or not an instant PostgreSQL writes in this shape: the general path.
    assert.equal(parseInstant('2026-11-26 21:13:05+08'), '2026-11-26T13:13:05.000Z');
    assert.equal(parseInstant('2026-11-26 21:13:05.5+05:30'), '2026-11-26T15:43:05.500Z');
    assert.equal(parseInstant('infinity'), 'infinity');
    assert.equal(parseInstant('2026-11-26 21:13:05+00 BC'), '2026-11-26 21:13:05+00 BC');
  });
});

describe('TENON_DB_POOL', () => {
  it('reads a positive pool size and refuses anything else', () => {
    assert.equal(poolSizeFromEnv({}), undefined);
    assert.equal(poolSizeFromEnv({ TENON_DB_POOL: '' }), undefined);
    assert.equal(poolSizeFromEnv({ TENON_DB_POOL: '24' }), 24);
    for (const bad of ['0', '-1', '2.5', 'ten', '5000']) {
      assert.throws(() => poolSizeFromEnv({ TENON_DB_POOL: bad }), /TENON_DB_POOL/);
    }
  });
});
