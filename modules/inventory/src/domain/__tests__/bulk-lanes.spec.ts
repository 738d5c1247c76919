/** Lanes of a bulk import: moves sharing an item or a key stay in one lane, in input order. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type LaneMove, splitLanes } from '../bulk-lanes.ts';

const entry = (key: string, ...items: string[]) => ({
  m: { idempotencyKey: key, lines: items.map((item) => ({ item })) },
});
const keys = (lanes: { m: LaneMove }[][]) => lanes.map((l) => l.map((e) => e.m.idempotencyKey));

describe('bulk import lanes', () => {
  const cases: { name: string; entries: ReturnType<typeof entry>[]; lanes: number; want: string[][] }[] = [
    {
      name: 'one lane asked: everything in it',
      entries: [entry('a', 'x'), entry('b', 'y')],
      lanes: 1,
      want: [['a', 'b']],
    },
    {
      name: 'items apart: dealt to two lanes',
      entries: [entry('a', 'x'), entry('b', 'y'), entry('c', 'x')],
      lanes: 2,
      want: [['a', 'c'], ['b']],
    },
    {
      name: 'a move naming two items joins them',
      entries: [entry('a', 'x'), entry('b', 'y'), entry('c', 'x', 'y'), entry('d', 'z')],
      lanes: 2,
      want: [['a', 'b', 'c'], ['d']],
    },
    {
      name: 'a repeated key joins its items',
      entries: [entry('a', 'x'), entry('b', 'y'), entry('a', 'y'), entry('d', 'z')],
      lanes: 2,
      want: [['a', 'b', 'a'], ['d']],
    },
    {
      name: 'a single item: one lane however many asked',
      entries: [entry('a', 'x'), entry('b', 'x')],
      lanes: 4,
      want: [['a', 'b']],
    },
    {
      name: 'balanced by size, largest group first',
      entries: [
        entry('a', 'x'),
        entry('b', 'x'),
        entry('c', 'x'),
        entry('d', 'y'),
        entry('e', 'z'),
        entry('f', 'y'),
      ],
      lanes: 2,
      want: [
        ['a', 'b', 'c'],
        ['d', 'e', 'f'],
      ],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      assert.deepEqual(keys(splitLanes(c.entries, c.lanes)), c.want);
    });

  it('never puts one item or one key in two lanes, keeps input order and loses nothing (property)', () => {
    const move = fc.record({
      key: fc.integer({ min: 0, max: 30 }).map((k) => `k${k}`),
      items: fc.array(
        fc.integer({ min: 0, max: 20 }).map((i) => `i${i}`),
        { minLength: 1, maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.array(move, { maxLength: 80 }), fc.integer({ min: 1, max: 4 }), (moves, n) => {
        const entries = moves.map((m, i) => ({
          i,
          m: { idempotencyKey: m.key, lines: m.items.map((item) => ({ item })) },
        }));
        const lanes = splitLanes(entries, n);
        assert.ok(lanes.length <= Math.max(n, 1));
        assert.deepEqual(
          lanes
            .flat()
            .map((e) => e.i)
            .sort((a, b) => a - b),
          entries.map((e) => e.i),
        );
        const laneOf = new Map<string, number>();
        lanes.forEach((lane, li) => {
          for (let k = 1; k < lane.length; k++) assert.ok(lane[k - 1]!.i < lane[k]!.i);
          for (const e of lane)
            for (const name of [`k:${e.m.idempotencyKey}`, ...e.m.lines.map((l) => `i:${l.item}`)]) {
              assert.equal(laneOf.get(name) ?? li, li, `${name} in two lanes`);
              laneOf.set(name, li);
            }
        });
      }),
      { numRuns: 300 },
    );
  });
});
