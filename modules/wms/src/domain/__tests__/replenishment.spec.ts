import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '@tenon/core';
import { type PickFace, planReplenishment, type ReserveStock } from '../replenishment.ts';

const face = (patch: Partial<PickFace>): PickFace => ({
  bin: 'P-01',
  item: 'BOLT',
  uom: 'PCS',
  min: '10',
  max: '50',
  onHand: '8',
  ...patch,
});

describe('replenishment of pick faces', () => {
  it('fills a face at or below its minimum up to its maximum, earliest expiry first', () => {
    const reserve: ReserveStock[] = [
      { bin: 'R-02', item: 'BOLT', lot: 'L2', quantity: '30', expiry: '2027-03-01' },
      { bin: 'R-01', item: 'BOLT', lot: 'L1', quantity: '20', expiry: '2027-01-01' },
      { bin: 'R-03', item: 'NUT', quantity: '99' },
    ];
    const plan = planReplenishment([face({})], reserve);
    assert.deepEqual(plan.moves, [
      { from: 'R-01', to: 'P-01', item: 'BOLT', lot: 'L1', quantity: '20' },
      { from: 'R-02', to: 'P-01', item: 'BOLT', lot: 'L2', quantity: '22' },
    ]);
    assert.deepEqual(plan.shortages, []);
  });

  it('leaves faces above their minimum alone and counts incoming moves', () => {
    const reserve: ReserveStock[] = [{ bin: 'R-01', item: 'BOLT', quantity: '100' }];
    assert.deepEqual(planReplenishment([face({ onHand: '11' })], reserve).moves, []);
    assert.deepEqual(planReplenishment([face({ onHand: '5', incoming: '6' })], reserve).moves, []);
  });

  it('moves whole cases only and never over the maximum', () => {
    const reserve: ReserveStock[] = [{ bin: 'R-01', item: 'BOLT', quantity: '100' }];
    const plan = planReplenishment([face({ caseQuantity: '12' })], reserve);
    assert.deepEqual(
      plan.moves.map((m) => m.quantity),
      ['36'],
    );
  });

  it('shares reserve between faces and reports the shortage', () => {
    const reserve: ReserveStock[] = [{ bin: 'R-01', item: 'BOLT', quantity: '45.5' }];
    const plan = planReplenishment(
      [face({ bin: 'P-01', onHand: '0' }), face({ bin: 'P-02', onHand: '2' })],
      reserve,
    );
    assert.deepEqual(
      plan.moves.map((m) => [m.to, m.quantity]),
      [['P-01', '45.5']],
    );
    assert.deepEqual(plan.shortages, [{ bin: 'P-02', item: 'BOLT', missing: '48' }]);
  });

  it('refuses a malformed quantity and a maximum below the minimum', () => {
    for (const bad of [face({ onHand: '0.1.2' }), face({ min: '10', max: '9.99' })])
      assert.throws(
        () => planReplenishment([bad], []),
        (err: unknown) => isAppError(err) && err.code === 'WMS_INVALID_QUANTITY',
      );
  });
});
