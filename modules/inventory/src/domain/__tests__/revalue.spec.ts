import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '@tenon/core';
import { fifoCheckpoint, type ReplayEntry, replay } from '../revalue.ts';

const d = (s: string | number) => new Decimal(s);
const layer = (seq: string, date: string, q: number, c: number) => ({
  seq,
  moveId: `m${seq}`,
  postingDate: date,
  quantity: d(q),
  unitCost: d(c),
});
const entry = (seq: string, q: number, value: number, over: Partial<ReplayEntry> = {}): ReplayEntry => ({
  seq,
  moveId: `m${seq}`,
  moveType: q > 0 ? 'receipt' : 'issue',
  reverses: null,
  postingDate: '2026-01-10',
  quantity: d(q),
  value: d(value),
  neutral: false,
  ...over,
});

describe('fifoCheckpoint', () => {
  const cases: [string, Parameters<typeof fifoCheckpoint>[0], [number, number], [string, string][]][] = [
    [
      'newest layers hold the stock',
      [layer('1', '2026-01-01', 10, 1), layer('2', '2026-01-02', 10, 2)],
      [15, 25],
      [
        ['5', '5'],
        ['10', '20'],
      ],
    ],
    ['the oldest open layer takes the rounding', [layer('1', '2026-01-01', 3, 1)], [3, 3.5], [['3', '3.5']]],
    ['no stock, no layers', [layer('1', '2026-01-01', 3, 1)], [0, 0], []],
    ['negative stock is one layer', [], [-2, -4], [['-2', '-4']]],
  ];
  for (const [name, layers, [q, v], expected] of cases) {
    it(name, () => {
      const s = fifoCheckpoint(layers, { quantity: d(q), value: d(v) }, '2026-01-05');
      assert.deepEqual(
        s.layers.map((l) => [l.remaining, d(l.remainingValue).toFixed()]),
        expected,
      );
    });
  }
});

describe('replay', () => {
  const start = fifoCheckpoint(
    [layer('1', '2026-01-01', 10, 1)],
    { quantity: d(10), value: d(10) },
    '2026-01-05',
  );

  it('re-costs issues through a back-dated layer and leaves receipts alone', () => {
    const r = replay(start, [entry('5', 10, 20), entry('6', -15, -15)], {
      method: 'fifo',
      standardCost: null,
    });
    assert.deepEqual(
      r.corrections.map((c) => [c.seq, c.diff.toFixed()]),
      [['6', '-5']],
    );
    assert.equal(r.state.value, '10');
  });

  it('skips transfers and keeps a reversal at its own value', () => {
    const r = replay(
      start,
      [
        entry('5', 4, 12),
        entry('6', -2, 0, { neutral: true }),
        entry('7', -4, -12, { moveType: 'reversal', reverses: 'm5' }),
        entry('8', -10, -10),
      ],
      { method: 'fifo', standardCost: null },
    );
    assert.deepEqual(r.corrections, []);
    assert.equal(r.state.quantity, '0');
    assert.equal(d(r.state.value).toFixed(), '0');
  });

  it('moving average re-costs at the average of the moment', () => {
    const avg = { layers: [], quantity: '10', value: '10' };
    const r = replay(avg, [entry('5', 10, 30), entry('6', -5, -5)], {
      method: 'moving_average',
      standardCost: null,
    });
    assert.deepEqual(
      r.corrections.map((c) => c.diff.toFixed()),
      ['-5'],
    );
    assert.equal(r.state.value, '30');
  });
});
