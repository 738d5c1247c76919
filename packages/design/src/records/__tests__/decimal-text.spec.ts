/**
 * Money and quantity text from PostgreSQL is cut and trimmed by string operations: the result must
 * be exactly decimal.js's, for every scale and sign, including the cases that fall back to it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '@tenon/core';
import fc from 'fast-check';
import { fixedDecimal, trimDecimal } from '../row-mapping.ts';

/** Numeric text as PostgreSQL prints it at a column scale. */
const pgNumeric = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.integer({ min: 0, max: 6 }))
  .map(([negative, digits, scale]) => {
    const raw = digits.toString().padStart(scale + 1, '0');
    const text = scale === 0 ? raw : `${raw.slice(0, -scale)}.${raw.slice(-scale)}`;
    return negative && digits !== 0n ? `-${text}` : text;
  });

/** decimal.js's rounding, with a rounded zero unsigned (`-0.00` is `0.00`, as PostgreSQL rounds). */
const toFixed = (text: string, scale: number) =>
  new Decimal(text).toFixed(scale).replace(/^-(0(?:\.0*)?)$/, '$1');

describe('numeric text', () => {
  it('fixedDecimal equals Decimal#toFixed, without a signed zero', () => {
    fc.assert(
      fc.property(pgNumeric, fc.integer({ min: 0, max: 6 }), (text, scale) => {
        assert.equal(fixedDecimal(text, scale), toFixed(text, scale), `${text} @${scale}`);
      }),
      { seed: Number(process.env.FUZZ_SEED ?? 7), numRuns: 5000 },
    );
  });

  it('trimDecimal equals Decimal#toFixed()', () => {
    fc.assert(
      fc.property(pgNumeric, (text) => {
        assert.equal(trimDecimal(text), new Decimal(text).toFixed(), text);
      }),
      { seed: Number(process.env.FUZZ_SEED ?? 7), numRuns: 5000 },
    );
  });

  it('handles the edges', () => {
    for (const [text, scale] of [
      ['0.0000', 2],
      ['12.3450', 2],
      ['-12.3450', 2],
      ['-0.0010', 2],
      ['100', 2],
      ['7.5', 0],
      ['NaN', 2],
      ['999999999999999.9999', 2],
      ['-0.0049', 2],
      ['-0.4', 0],
    ] as const) {
      assert.equal(fixedDecimal(text, scale), toFixed(text, scale), `${text} @${scale}`);
    }
    assert.equal(fixedDecimal('-0.0049', 2), '0.00');
    assert.equal(fixedDecimal('-0.4', 0), '0');
    for (const text of ['0.000000', '2.500000', '-2.000000', '10', '-0.000100', 'NaN']) {
      assert.equal(trimDecimal(text), new Decimal(text).toFixed(), text);
    }
  });
});
