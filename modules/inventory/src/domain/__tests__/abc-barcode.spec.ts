import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '@tenon/core';
import { classifyAbc } from '../abc.ts';
import { ean13CheckDigit, isValidEan13 } from '../barcode.ts';

describe('ABC classification', () => {
  const rows = (values: [string, number][]) => values.map(([item, v]) => ({ item, measure: new Decimal(v) }));
  const cases: [string, [string, number][], string][] = [
    [
      'one dominant item',
      [
        ['x', 90],
        ['y', 6],
        ['z', 4],
      ],
      'x:A y:B z:C',
    ],
    [
      'even spread',
      [
        ['a', 20],
        ['b', 20],
        ['c', 20],
        ['d', 20],
        ['e', 20],
      ],
      'a:A b:A c:A d:A e:B',
    ],
    [
      'ties sorted by item',
      [
        ['b', 10],
        ['a', 10],
      ],
      'a:A b:A',
    ],
    ['all zero', [['a', 0]], 'a:C'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () =>
      assert.equal(
        classifyAbc(rows(input))
          .map((r) => `${r.item}:${r.abcClass}`)
          .join(' '),
        expected,
      ),
    );
  }
  it('honours custom cut-offs', () => {
    const r = classifyAbc(
      rows([
        ['x', 50],
        ['y', 30],
        ['z', 20],
      ]),
      { a: new Decimal('0.5'), b: new Decimal('0.8') },
    );
    assert.equal(r.map((x) => x.abcClass).join(''), 'ABC');
  });
});

describe('EAN-13', () => {
  const cases: [string, boolean][] = [
    ['4006381333931', true],
    ['6901234567892', true],
    ['4006381333932', false],
    ['400638133393', false],
    ['40063813339A1', false],
  ];
  for (const [code, valid] of cases)
    it(`${code} ${valid ? 'valid' : 'invalid'}`, () => assert.equal(isValidEan13(code), valid));
  it('computes the check digit', () => assert.equal(ean13CheckDigit('400638133393'), 1));
});
