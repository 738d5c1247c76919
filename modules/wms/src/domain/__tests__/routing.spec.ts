import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '@tenon/core';
import fc from 'fast-check';
import { type Bin, buildLayout, gridLayout } from '../layout.ts';
import { optimiseRoute, type RouteMethod, routeLength } from '../routing.ts';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261126;
const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 1;
const layout = gridLayout({ aisles: 10, binsPerAisle: 30 });
const codes = [...layout.binByCode.keys()];
const stopSets = (max: number) => fc.uniqueArray(fc.constantFrom(...codes), { minLength: 1, maxLength: max });
const HEURISTICS: RouteMethod[] = ['naive', 'sshape', 'return', 'nn2opt', 'best'];

/** Irregular layouts: uneven aisle spacing, bins anywhere along the aisles, the depot anywhere in front. */
const randomInstance = fc
  .record({
    gaps: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }),
    depth: fc.integer({ min: 5, max: 60 }),
    depot: fc.double({ min: 0, max: 1, noNaN: true }),
    stops: fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })), {
      minLength: 1,
      maxLength: 9,
    }),
  })
  .map(({ gaps, depth, depot, stops }) => {
    const xs: number[] = [];
    for (const g of gaps) xs.push((xs.at(-1) ?? 0) + g);
    const aisles = xs.map((x, i) => ({ code: `A${i}`, x }));
    const bins: Bin[] = stops.map(([a, f], i) => ({
      code: `B${String(i).padStart(2, '0')}`,
      aisle: `A${a % xs.length}`,
      x: xs[a % xs.length]!,
      y: Math.round(f * depth * 10) / 10,
      rack: 'R',
      level: '1',
      zone: 'Z',
      pickSequence: i,
    }));
    const layout = buildLayout({ aisles, bins, frontY: 0, backY: depth, depotX: depot * xs.at(-1)! });
    return { layout, stops: bins.map((b) => b.code) };
  });

describe('route optimisation', () => {
  it('orders a small walk as expected', () => {
    // Two stops in aisle 1 at the back, one in aisle 3 at the front: a route goes up aisle 1 first.
    const route = optimiseRoute(layout, ['A03-002', 'A01-030', 'A01-001']);
    assert.equal(route.order.length, 3);
    assert.equal(route.length, routeLength(layout, route.order));
    const exact = optimiseRoute(layout, ['A03-002', 'A01-030', 'A01-001'], { method: 'exact' });
    assert.equal(route.length, exact.length);
  });

  it('reports its length against the naive location-name order', () => {
    const stops = ['A05-001', 'A01-001', 'A05-030', 'A01-030'];
    const naive = optimiseRoute(layout, stops, { method: 'naive' });
    assert.deepEqual(naive.order, ['A01-001', 'A01-030', 'A05-001', 'A05-030']);
    assert.equal(naive.length, naive.naiveLength);
    const best = optimiseRoute(layout, stops);
    assert.equal(best.naiveLength, naive.length);
    assert.ok(best.length < naive.length);
  });

  it('visits repeated stops once', () => {
    const route = optimiseRoute(layout, ['A02-004', 'A02-004', 'A07-010']);
    assert.deepEqual([...route.order].sort(), ['A02-004', 'A07-010']);
  });

  it('refuses exact routing beyond 9 stops and unknown bins', () => {
    assert.throws(
      () => optimiseRoute(layout, codes.slice(0, 10), { method: 'exact' }),
      (err: unknown) => isAppError(err) && err.code === 'WMS_ROUTE_TOO_MANY_STOPS',
    );
    assert.throws(
      () => optimiseRoute(layout, ['nowhere']),
      (err: unknown) => isAppError(err) && err.code === 'WMS_UNKNOWN_BIN',
    );
  });

  it('every method visits every stop exactly once and reports its true length', () => {
    fc.assert(
      fc.property(stopSets(40), (stops) => {
        for (const method of HEURISTICS) {
          const route = optimiseRoute(layout, stops, { method });
          assert.deepEqual([...route.order].sort(), [...stops].sort());
          assert.ok(Math.abs(route.length - routeLength(layout, route.order)) < 1e-9);
        }
      }),
      { seed: SEED, numRuns: 100 * RUNS },
    );
  });

  it('the optimised route is never longer than the naive order', () => {
    fc.assert(
      fc.property(stopSets(60), (stops) => {
        const route = optimiseRoute(layout, stops);
        assert.ok(route.length <= route.naiveLength + 1e-9, `${route.length} > ${route.naiveLength}`);
      }),
      { seed: SEED, numRuns: 200 * RUNS },
    );
  });

  it('is within 5% of the brute-force optimum up to 9 stops', () => {
    let worst = 0;
    fc.assert(
      fc.property(stopSets(9), (stops) => {
        const best = optimiseRoute(layout, stops);
        const exact = optimiseRoute(layout, stops, { method: 'exact' });
        assert.ok(exact.length <= best.length + 1e-9, 'exact is never beaten');
        const gap = exact.length === 0 ? 0 : best.length / exact.length - 1;
        worst = Math.max(worst, gap);
        assert.ok(gap <= 0.05, `gap ${(gap * 100).toFixed(2)}% on ${stops.join(',')}`);
      }),
      { seed: SEED, numRuns: 300 * RUNS },
    );
    assert.ok(worst <= 0.05);
  });

  it('on irregular layouts: never longer than naive, within 5% of the optimum', () => {
    fc.assert(
      fc.property(randomInstance, ({ layout: l, stops }) => {
        const best = optimiseRoute(l, stops);
        const exact = optimiseRoute(l, stops, { method: 'exact' });
        assert.ok(best.length <= best.naiveLength + 1e-9);
        assert.ok(exact.length <= best.length + 1e-9);
        assert.ok(best.length <= exact.length * 1.05 + 1e-9, `${best.length} vs optimum ${exact.length}`);
        assert.deepEqual([...best.order].sort(), [...new Set(stops)].sort());
      }),
      { seed: SEED, numRuns: 300 * RUNS },
    );
  });
});
