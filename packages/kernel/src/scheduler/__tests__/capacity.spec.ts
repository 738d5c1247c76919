import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstClash, freeWindows, peakUse, type Use } from '../domain/capacity.ts';
import { pickResources } from '../domain/pick-resources.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-11-30T00:00:00Z');
const use = (from: number, to: number, quantity = 1): Use => ({
  start: T0 + from * H,
  end: T0 + to * H,
  quantity,
});

describe('capacity over time', () => {
  const uses = [use(1, 3), use(2, 4), use(5, 6, 2)];
  const cases: [string, number, number, number][] = [
    ['before everything', 0, 1, 0],
    ['one use', 1, 2, 1],
    ['two overlap at 2-3', 1, 4, 2],
    ['back-to-back is not an overlap', 4, 5, 0],
    ['quantity counts', 5, 6, 2],
  ];
  for (const [name, a, b, peak] of cases) {
    it(`peak: ${name}`, () => assert.equal(peakUse(uses, T0 + a * H, T0 + b * H), peak));
  }
  it('names the first clashing use', () => {
    assert.deepEqual(firstClash(uses, 2, 1, T0 + 2 * H, T0 + 3 * H), use(1, 3));
    assert.equal(firstClash(uses, 3, 1, T0 + 2 * H, T0 + 3 * H), null);
    assert.equal(firstClash(uses, 2, 1, T0 + 3 * H, T0 + 5 * H), null);
  });
  it('free windows: working time where one more fits, long enough', () => {
    const got = freeWindows({
      calendar: { timeZone: 'UTC', weekly: { mon: [['00:00', '08:00']] }, closed: [] },
      capacity: 2,
      uses,
      quantity: 1,
      from: T0,
      to: T0 + 10 * H,
      minutes: 60,
    });
    // 2-3 is full (two uses), 5-6 is full (quantity 2), the calendar ends at 08:00.
    assert.deepEqual(got, [
      { start: T0, end: T0 + 2 * H },
      { start: T0 + 3 * H, end: T0 + 5 * H },
      { start: T0 + 6 * H, end: T0 + 8 * H },
    ]);
  });
  it('a booking of two requirements of the same type takes two resources', () => {
    const r = (id: string) => ({
      id,
      code: id,
      name: id,
      type: 'room',
      capacity: 1,
      skills: [],
      calendar: null,
      user: null,
      uses: [],
    });
    const picks = pickResources({
      requirements: [{ type: 'room' }, { type: 'room' }],
      candidates: [r('a'), r('b')],
      start: T0,
      defaultMinutes: 60,
    });
    assert.deepEqual(
      picks.map((p) => p.resourceId),
      ['a', 'b'],
    );
    assert.throws(
      () =>
        pickResources({
          requirements: [{ type: 'room' }, { type: 'room' }],
          candidates: [r('a')],
          start: T0,
          defaultMinutes: 60,
        }),
      { code: 'KERNEL_RESOURCE_CONFLICT' },
    );
  });
});
