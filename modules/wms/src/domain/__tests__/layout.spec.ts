import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '@tenon/core';
import { binDistance, buildLayout, DEPOT, type LayoutInput } from '../layout.ts';

/** Three aisles at x = 0, 4, 8; cross-aisles at y = 0 (front) and y = 20 (back); depot at x = 2. */
const input: LayoutInput = {
  frontY: 0,
  backY: 20,
  depotX: 2,
  aisles: [
    { code: 'A', x: 0 },
    { code: 'B', x: 4 },
    { code: 'C', x: 8 },
  ],
  bins: [
    ['A-02', 'A', 2],
    ['A-10', 'A', 10],
    ['A-18', 'A', 18],
    ['B-03', 'B', 3],
    ['B-17', 'B', 17],
    ['C-05', 'C', 5],
    ['C-19', 'C', 19],
  ].map(([code, aisle, y]) => ({
    code: code as string,
    aisle: aisle as string,
    x: 0,
    y: y as number,
    rack: 'R1',
    level: '1',
    zone: 'Z1',
    pickSequence: 0,
  })),
};
const layout = buildLayout(input);

describe('walking distance on the aisle graph', () => {
  const table: [string, string, number, string][] = [
    ['A-02', 'A-18', 16, 'same aisle: straight along it'],
    ['A-18', 'A-02', 16, 'symmetric'],
    ['A-02', 'B-03', 2 + 4 + 3, 'different aisles near the front: via the front'],
    ['A-18', 'B-17', 2 + 4 + 3, 'different aisles near the back: via the back'],
    ['A-10', 'C-05', 10 + 8 + 5, 'front is shorter (15) than back (25)'],
    ['A-10', 'C-19', 10 + 8 + 1, 'back is shorter (11) than front (29)'],
    ['A-02', 'C-19', 18 + 8 + 1, 'back (19) beats front (21)'],
    [DEPOT, 'A-02', 2 + 2, 'depot on the front cross-aisle'],
    [DEPOT, 'C-19', 6 + 19, 'depot to the back of an aisle: along the aisle'],
    ['B-03', 'B-03', 0, 'same bin'],
  ];
  for (const [from, to, expected, why] of table) {
    it(`${from} -> ${to} = ${expected} (${why})`, () => {
      assert.equal(binDistance(layout, from, to), expected);
    });
  }

  it('is never shorter than the straight line (it does not cut through racks)', () => {
    for (const a of input.bins)
      for (const b of input.bins) {
        const p = layout.pointOf(a.code);
        const q = layout.pointOf(b.code);
        assert.ok(binDistance(layout, a.code, b.code) >= Math.hypot(p.x - q.x, p.y - q.y) - 1e-9);
      }
  });

  it('satisfies the triangle inequality', () => {
    const codes = [DEPOT, ...input.bins.map((b) => b.code)];
    for (const a of codes)
      for (const b of codes)
        for (const c of codes)
          assert.ok(
            binDistance(layout, a, c) <= binDistance(layout, a, b) + binDistance(layout, b, c) + 1e-9,
          );
  });
});

describe('layout validation', () => {
  const cases: [string, Partial<LayoutInput>][] = [
    ['front behind back', { frontY: 30 }],
    ['duplicate aisle', { aisles: [...input.aisles, { code: 'A', x: 12 }] }],
    ['bin in an unknown aisle', { bins: [{ ...input.bins[0]!, code: 'X-1', aisle: 'X' }] }],
    ['bin outside the aisles', { bins: [{ ...input.bins[0]!, code: 'A-99', y: 25 }] }],
    ['duplicate bin', { bins: [input.bins[0]!, input.bins[0]!] }],
  ];
  for (const [name, patch] of cases) {
    it(`refuses ${name} with WMS_LAYOUT_INVALID`, () => {
      assert.throws(
        () => buildLayout({ ...input, ...patch }),
        (err: unknown) => isAppError(err) && err.code === 'WMS_LAYOUT_INVALID' && err.status === 422,
      );
    });
  }

  it('refuses an unknown bin with WMS_UNKNOWN_BIN', () => {
    assert.throws(
      () => binDistance(layout, 'A-02', 'Z-1'),
      (err: unknown) => isAppError(err) && err.code === 'WMS_UNKNOWN_BIN',
    );
  });
});
