import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '@tenon/core';
import { gridLayout } from '../layout.ts';
import { type BinState, type PutawayItem, suggestPutaway } from '../putaway.ts';

// Zones: Z1 = A01-A02, Z2 = A03-A04. The dock is bin A01-001 (next to the depot).
const layout = gridLayout({ aisles: 4, binsPerAisle: 20, zoneEvery: 2 });
const item: PutawayItem = { item: 'BOLT', itemClass: 'small', unitVolume: '0.5', unitWeight: '2' };

function bin(
  code: string,
  contents: BinState['contents'] = [],
  used = { volume: '0', weight: '0', units: '0' },
): BinState {
  return { bin: code, capacity: { volume: '10', weight: '100', units: '50' }, used, contents };
}

const base = { layout, dock: 'A01-001', item, zonesByClass: { small: ['Z2'] } };

describe('putaway suggestions', () => {
  it('prefers the fixed bin, then bins holding the same lot, then the same item, with reasons', () => {
    const bins = [
      bin('A04-010'),
      bin('A03-002', [{ item: 'BOLT', lot: 'L1', quantity: '4' }], { volume: '2', weight: '8', units: '4' }),
      bin('A02-019', [{ item: 'BOLT', lot: 'L7', quantity: '4' }], { volume: '2', weight: '8', units: '4' }),
      bin('A01-020', [], { volume: '9', weight: '0', units: '0' }),
    ];
    const result = suggestPutaway({
      ...base,
      item: { ...item, fixedBin: 'A01-020' },
      lot: 'L7',
      quantity: '40',
      bins,
    });
    assert.deepEqual(
      result.suggestions.map((s) => [s.bin, s.quantity, s.reason]),
      [
        ['A01-020', '2', 'fixed_bin'], // 1 litre free / 0.5 per unit
        ['A02-019', '16', 'same_lot'], // 8 litres free
        ['A03-002', '16', 'same_item'],
        ['A04-010', '6', 'nearest_empty'],
      ],
    );
    assert.equal(result.unplaced, '0');
  });

  it('picks the nearest empty bin from the dock inside the class zone, limited by weight and units', () => {
    const heavy = { ...item, unitWeight: '30' };
    const bins = [bin('A04-001'), bin('A03-015'), bin('A03-001'), bin('A01-002')];
    const result = suggestPutaway({ ...base, item: heavy, quantity: '7', bins });
    // A01-002 is nearest but in zone Z1; 100 kg / 30 kg = 3 units per bin.
    assert.deepEqual(
      result.suggestions.map((s) => [s.bin, s.quantity, s.reason]),
      [
        ['A03-001', '3', 'nearest_empty'],
        ['A04-001', '3', 'nearest_empty'],
        ['A03-015', '1', 'nearest_empty'],
      ],
    );
    assert.ok(result.suggestions[0]!.distance <= result.suggestions[1]!.distance);
  });

  it('falls back to a shared bin in the class zone, and reports what fits nowhere', () => {
    const bins = [
      bin('A03-003', [{ item: 'NUT', quantity: '1' }], { volume: '8', weight: '0', units: '1' }),
      { ...bin('A03-004'), blocked: true },
    ];
    const result = suggestPutaway({ ...base, quantity: '10', bins });
    assert.deepEqual(
      result.suggestions.map((s) => [s.bin, s.quantity, s.reason]),
      [['A03-003', '4', 'class_zone']],
    );
    assert.equal(result.unplaced, '6');
    const strict = suggestPutaway({ ...base, quantity: '10', bins, mixItems: false });
    assert.deepEqual(strict.suggestions, []);
    assert.equal(strict.unplaced, '10');
  });

  it('refuses a non-positive quantity', () => {
    assert.throws(
      () => suggestPutaway({ ...base, quantity: '0', bins: [] }),
      (err: unknown) => isAppError(err) && err.code === 'WMS_INVALID_QUANTITY',
    );
  });
});
