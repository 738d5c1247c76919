import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '@tenon/core';
import { toBaseUnit, type UomConversion } from '../convert-uom.ts';

const d = (s: string) => new Decimal(s);
const conversions: UomConversion[] = [
  { fromUom: 'box', toUom: 'pcs', factor: d('12'), item: null },
  { fromUom: 'box', toUom: 'pcs', factor: d('10'), item: 'special' },
  { fromUom: 'pcs', toUom: 'g', factor: d('250'), item: null },
  { fromUom: 'kg', toUom: 'g', factor: d('1000'), item: null },
];
const line = (over: Partial<Parameters<typeof toBaseUnit>[0]>) => ({
  lineNo: 1,
  itemId: 'plain',
  uom: 'box',
  quantity: d('2'),
  unitCost: null,
  ...over,
});

describe('toBaseUnit', () => {
  const cases: [string, Parameters<typeof toBaseUnit>[0], { uom: string; precision: number }, string][] = [
    [
      'base unit passes through',
      line({ uom: 'pcs', quantity: d('3.5') }),
      { uom: 'pcs', precision: 0 },
      '3.5',
    ],
    ['general conversion multiplies', line({}), { uom: 'pcs', precision: 0 }, '24'],
    ['an item conversion wins', line({ itemId: 'special' }), { uom: 'pcs', precision: 0 }, '20'],
    [
      'the reverse direction divides',
      line({ uom: 'g', quantity: d('500') }),
      { uom: 'pcs', precision: 0 },
      '2',
    ],
    [
      'fractions within precision',
      line({ uom: 'g', quantity: d('1500') }),
      { uom: 'kg', precision: 3 },
      '1.5',
    ],
  ];
  for (const [name, input, base, expected] of cases) {
    it(name, () => assert.equal(toBaseUnit(input, base, conversions).quantity.toFixed(), expected));
  }

  it('keeps the line value when converting the unit cost', () => {
    const r = toBaseUnit(line({ unitCost: d('24') }), { uom: 'pcs', precision: 0 }, conversions);
    assert.equal(r.unitCost?.toFixed(), '2');
  });

  it('refuses a unit with no conversion', () => {
    assert.throws(
      () => toBaseUnit(line({ uom: 'litre' }), { uom: 'pcs', precision: 0 }, conversions),
      (e: { code?: string }) => e.code === 'INVENTORY_UOM_NO_CONVERSION',
    );
  });

  it('refuses a result finer than the base precision', () => {
    for (const q of ['100', '1.05']) {
      assert.throws(
        () => toBaseUnit(line({ uom: 'g', quantity: d(q) }), { uom: 'pcs', precision: 0 }, conversions),
        (e: { code?: string; status?: number }) =>
          e.code === 'INVENTORY_UOM_NOT_REPRESENTABLE' && e.status === 422,
      );
    }
  });
});
