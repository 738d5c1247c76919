import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '@tenon/core';
import { type ExpectedPickup, type MilkRunPlan, planNextMilkRun } from '../milk-run.ts';

const plan: MilkRunPlan = {
  code: 'MR-EAST',
  name: 'East loop',
  stops: [
    { supplierId: 's1', name: 'Supplier One', dwellMinutes: 20, address: 'Road 1' },
    { supplierId: 's2', name: 'Supplier Two', dwellMinutes: 15 },
    { supplierId: 's3', name: 'Supplier Three', dwellMinutes: 30 },
  ],
  legMinutes: [30, 25, 40, 50],
  schedule: { timeZone: 'Asia/Shanghai', times: ['08:00'], weekdays: [1, 3, 5] },
};

const pickup = (p: Partial<ExpectedPickup>): ExpectedPickup => ({
  supplierId: 's1',
  item: 'BOLT',
  uom: 'PCS',
  quantity: '10',
  dueDate: '2026-11-27',
  source: 'purchase_line',
  reference: 'PO-1/1',
  ...p,
});

describe('Milk-Run', () => {
  // Thursday 2026-11-26 12:00 Shanghai: the next run is Friday 08:00, the one after Monday.
  const now = new Date('2026-11-26T04:00:00Z');

  it('plans the next run: stops in order with arrival times and merged items', () => {
    const run = planNextMilkRun(
      plan,
      [
        pickup({ reference: 'PO-1/1' }),
        pickup({ reference: 'KB-7', source: 'kanban', quantity: '2.5' }),
        pickup({ supplierId: 's3', item: 'NUT', uom: 'KG', quantity: '4', reference: 'PO-2/1' }),
        pickup({ supplierId: 's2', dueDate: '2026-11-30', reference: 'PO-3/1' }),
        pickup({ supplierId: 'unknown', reference: 'PO-9/1' }),
      ],
      now,
    );
    assert.equal(run.departsAt, '2026-11-27T00:00:00.000Z');
    assert.deepEqual(
      run.stops.map((s) => [s.sequence, s.supplierId, s.arrival, s.departure]),
      [
        [1, 's1', '2026-11-27T00:30:00.000Z', '2026-11-27T00:50:00.000Z'],
        [2, 's2', '2026-11-27T01:15:00.000Z', '2026-11-27T01:30:00.000Z'],
        [3, 's3', '2026-11-27T02:10:00.000Z', '2026-11-27T02:40:00.000Z'],
      ],
    );
    assert.equal(run.returnsAt, '2026-11-27T03:30:00.000Z');
    assert.deepEqual(run.stops[0]!.items, [
      { item: 'BOLT', uom: 'PCS', quantity: '12.5', references: ['KB-7', 'PO-1/1'] },
    ]);
    assert.deepEqual(run.stops[1]!.items, [], 'due Monday: the Monday run takes it');
    assert.deepEqual(
      run.later.map((p) => p.reference),
      ['PO-3/1', 'PO-9/1'],
    );
    assert.equal(run.sheet.title, 'East loop 2026-11-27 08:00');
    assert.deepEqual(run.sheet.totals, [
      { uom: 'KG', quantity: '4' },
      { uom: 'PCS', quantity: '12.5' },
    ]);
    assert.equal(run.sheet.lines.length, 2);
  });

  it('refuses a plan whose legs do not match its stops, and bad pickups', () => {
    assert.throws(
      () => planNextMilkRun({ ...plan, legMinutes: [10] }, [], now),
      (err: unknown) => isAppError(err) && err.code === 'WMS_INVALID_SCHEDULE',
    );
    assert.throws(
      () => planNextMilkRun(plan, [pickup({ dueDate: '2026-02-30' })], now),
      (err: unknown) => isAppError(err) && err.code === 'WMS_INVALID_SCHEDULE',
    );
    assert.throws(
      () => planNextMilkRun(plan, [pickup({ quantity: '-1' })], now),
      (err: unknown) => isAppError(err) && err.code === 'WMS_INVALID_QUANTITY',
    );
  });
});
