import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '@tenon/core';
import fc from 'fast-check';
import { gridLayout } from '../layout.ts';
import { type BinState, suggestPutaway } from '../putaway.ts';
import { planReplenishment } from '../replenishment.ts';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261126;
const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 1;
const layout = gridLayout({ aisles: 4, binsPerAisle: 10, zoneEvery: 2 });
const codes = [...layout.binByCode.keys()];
const dec = (max: number, scale = 2) =>
  fc.integer({ min: 0, max: max * 10 ** scale }).map((n) => new Decimal(n).dividedBy(10 ** scale).toFixed());

const binState = fc.record({
  bin: fc.constantFrom(...codes),
  capacity: fc.record({ volume: dec(20), weight: dec(200), units: dec(60, 0) }, { requiredKeys: [] }),
  used: fc.record({ volume: dec(10), weight: dec(100), units: dec(30, 0) }),
  contents: fc.array(
    fc.record({
      item: fc.constantFrom('BOLT', 'NUT'),
      lot: fc.constantFrom('L1', 'L2'),
      quantity: dec(10, 0),
    }),
    { maxLength: 2 },
  ),
  blocked: fc.boolean(),
});

describe('capacity properties', () => {
  it('putaway never overfills a bin, uses a bin once, and accounts for every unit', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(binState, { selector: (b) => b.bin, maxLength: 12 }),
        fc.integer({ min: 1, max: 200 }),
        fc.option(fc.constantFrom(...codes), { nil: undefined }),
        (bins: BinState[], quantity, fixedBin) => {
          const item = { item: 'BOLT', itemClass: 'small', unitVolume: '0.5', unitWeight: '1.25', fixedBin };
          const result = suggestPutaway({
            layout,
            dock: 'A01-001',
            item,
            lot: 'L1',
            quantity: String(quantity),
            bins,
            zonesByClass: { small: ['Z1'] },
          });
          const placed = result.suggestions.reduce((s, x) => s.plus(x.quantity), new Decimal(0));
          assert.equal(placed.plus(result.unplaced).toFixed(), String(quantity));
          assert.equal(new Set(result.suggestions.map((s) => s.bin)).size, result.suggestions.length);
          for (const s of result.suggestions) {
            const state = bins.find((b) => b.bin === s.bin)!;
            assert.ok(!state.blocked, 'never a blocked bin');
            const q = new Decimal(s.quantity);
            assert.ok(q.greaterThan(0) && q.isInteger());
            const fits = (cap: string | undefined, used: string, per: string) =>
              cap === undefined || new Decimal(used).plus(q.times(per)).lte(cap);
            assert.ok(fits(state.capacity.volume, state.used.volume, item.unitVolume), 'volume');
            assert.ok(fits(state.capacity.weight, state.used.weight, item.unitWeight), 'weight');
            assert.ok(fits(state.capacity.units, state.used.units, '1'), 'units');
          }
        },
      ),
      { seed: SEED, numRuns: 300 * RUNS },
    );
  });

  it('replenishment never takes more than reserve holds nor fills a face over its maximum', () => {
    const face = fc
      .record({
        bin: fc.constantFrom('P-1', 'P-2', 'P-3'),
        item: fc.constantFrom('BOLT', 'NUT'),
        uom: fc.constant('PCS'),
        min: dec(20),
        extra: dec(60),
        onHand: dec(30),
        caseQuantity: fc.option(fc.constantFrom('6', '12', '0.5'), { nil: undefined }),
      })
      .map(({ extra, ...f }) => ({ ...f, max: new Decimal(f.min).plus(extra).toFixed() }));
    const stock = fc.record({
      bin: fc.constantFrom('R-1', 'R-2', 'R-3', 'R-4'),
      item: fc.constantFrom('BOLT', 'NUT'),
      lot: fc.constantFrom('L1', 'L2'),
      quantity: dec(60),
      expiry: fc.constantFrom('2027-01-01', '2027-06-01'),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(face, { selector: (f) => `${f.bin}|${f.item}`, maxLength: 5 }),
        fc.uniqueArray(stock, { selector: (s) => `${s.bin}|${s.item}|${s.lot}`, maxLength: 8 }),
        (faces, reserve) => {
          const plan = planReplenishment(faces, reserve);
          for (const r of reserve) {
            const taken = plan.moves
              .filter((m) => m.from === r.bin && m.item === r.item && m.lot === r.lot)
              .reduce((s, m) => s.plus(m.quantity), new Decimal(0));
            assert.ok(taken.lte(r.quantity), 'never more than the reserve bin holds');
          }
          for (const f of faces) {
            const moved = plan.moves
              .filter((m) => m.to === f.bin && m.item === f.item)
              .reduce((s, m) => s.plus(m.quantity), new Decimal(0));
            if (moved.isZero()) continue;
            assert.ok(new Decimal(f.onHand).lte(f.min), 'only faces at or below their minimum');
            assert.ok(new Decimal(f.onHand).plus(moved).lte(f.max), 'never over the maximum');
            if (f.caseQuantity) assert.ok(moved.modulo(f.caseQuantity).isZero(), 'whole cases');
          }
        },
      ),
      { seed: SEED, numRuns: 300 * RUNS },
    );
  });
});
