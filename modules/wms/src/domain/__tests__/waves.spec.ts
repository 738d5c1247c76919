import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '@tenon/core';
import { planWaves } from '../waves.ts';
import { order } from './fixtures.ts';

const now = new Date('2026-11-26T08:00:00Z');
const line: [string, string, string] = ['A01-001', 'ITEM', '1'];

describe('waves', () => {
  it('groups by carrier and cut-off window, most urgent wave first', () => {
    const orders = [
      order('o1', [line], { carrier: 'SF', cutoff: '2026-11-26T12:10:00Z' }),
      order('o2', [line], { carrier: 'JD', cutoff: '2026-11-26T10:05:00Z' }),
      order('o3', [line], { carrier: 'SF', cutoff: '2026-11-26T12:50:00Z' }),
      order('o4', [line], { carrier: 'SF', cutoff: '2026-11-26T13:20:00Z' }),
    ];
    const { waves } = planWaves(orders, { groupBy: ['carrier', 'cutoff'], windowMinutes: 60 }, now);
    assert.deepEqual(
      waves.map((w) => [w.key, w.orders.map((o) => o.id)]),
      [
        ['carrier=JD|cutoff=2026-11-26T10:00:00.000Z', ['o2']],
        ['carrier=SF|cutoff=2026-11-26T12:00:00.000Z', ['o1', 'o3']],
        ['carrier=SF|cutoff=2026-11-26T13:00:00.000Z', ['o4']],
      ],
    );
  });

  it('puts higher priority first inside a wave and cuts waves by orders and lines', () => {
    const orders = [
      order('a', [line, line], { priority: 1 }),
      order('b', [line, line, line], { priority: 5 }),
      order('c', [line], { priority: 1, cutoff: '2026-11-26T09:00:00Z' }),
      order('d', [line, line]),
    ];
    const { waves } = planWaves(orders, { groupBy: ['route'], maxOrders: 2, maxLines: 4 }, now);
    assert.deepEqual(
      waves.map((w) => [w.key, w.orders.map((o) => o.id), w.lineCount]),
      [
        ['route=R1#1', ['b', 'c'], 4],
        ['route=R1#2', ['a', 'd'], 4],
      ],
    );
  });

  it('defers orders beyond the horizon and flags late waves', () => {
    const orders = [
      order('late', [line], { cutoff: '2026-11-26T07:30:00Z' }),
      order('soon', [line], { cutoff: '2026-11-26T09:00:00Z', carrier: 'JD' }),
      order('tomorrow', [line], { cutoff: '2026-11-27T09:00:00Z' }),
    ];
    const plan = planWaves(orders, { groupBy: ['carrier'], horizonMinutes: 240 }, now);
    assert.deepEqual(
      plan.deferred.map((o) => o.id),
      ['tomorrow'],
    );
    assert.deepEqual(
      plan.waves.map((w) => [w.orders[0]!.id, w.late]),
      [
        ['late', true],
        ['soon', false],
      ],
    );
  });

  it('puts every order in exactly one wave or the deferred list', () => {
    const orders = Array.from({ length: 57 }, (_, i) =>
      order(`o${i}`, [line], {
        carrier: `C${i % 3}`,
        priority: i % 4,
        cutoff: `2026-11-26T${10 + (i % 9)}:00:00Z`,
      }),
    );
    const plan = planWaves(
      orders,
      { groupBy: ['carrier', 'priority'], maxOrders: 5, horizonMinutes: 300 },
      now,
    );
    const seen = [...plan.waves.flatMap((w) => w.orders), ...plan.deferred].map((o) => o.id).sort();
    assert.deepEqual(seen, orders.map((o) => o.id).sort());
    for (const w of plan.waves) assert.ok(w.orders.length <= 5);
  });

  it('refuses a bad rule', () => {
    assert.throws(
      () => planWaves([], { groupBy: ['carrier'], maxOrders: 0 }, now),
      (err: unknown) => isAppError(err) && err.code === 'WMS_INVALID_WAVE_RULE',
    );
  });
});
