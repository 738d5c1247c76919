import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal, isAppError } from '@tenon/core';
import { gridLayout } from '../layout.ts';
import { buildPickLists, type PickList } from '../pick-lists.ts';
import { routeLength } from '../routing.ts';
import { order } from './fixtures.ts';

// 4 aisles, zones Z1 (A01-A02) and Z2 (A03-A04).
const layout = gridLayout({ aisles: 4, binsPerAisle: 20, zoneEvery: 2 });
const orders = [
  order('o1', [
    ['A01-005', 'BOLT', '2'],
    ['A03-010', 'NUT', '1.5'],
  ]),
  order('o2', [
    ['A01-005', 'BOLT', '3'],
    ['A04-002', 'WASHER', '10'],
  ]),
  order('o3', [['A01-005', 'BOLT', '0.25']]),
];

/** Sum of split quantities per (order, line) across lists. */
function pickedPerLine(lists: PickList[]): Map<string, string> {
  const out = new Map<string, Decimal>();
  for (const list of lists)
    for (const pick of list.picks) {
      const sum = pick.splits.reduce((s, x) => s.plus(x.quantity), new Decimal(0));
      assert.equal(sum.toFixed(), pick.quantity, 'the splits add up to the pick');
      for (const s of pick.splits) out.set(s.lineId, (out.get(s.lineId) ?? new Decimal(0)).plus(s.quantity));
    }
  return new Map([...out].map(([k, v]) => [k, v.toFixed()]));
}

const everyLine = new Map(orders.flatMap((o) => o.lines.map((l) => [l.lineId, l.quantity])));

describe('pick lists', () => {
  it('by order: one routed list per order', () => {
    const { lists } = buildPickLists(layout, orders, { kind: 'order' });
    assert.deepEqual(
      lists.map((l) => [l.key, l.picks.length]),
      [
        ['o1', 2],
        ['o2', 2],
        ['o3', 1],
      ],
    );
    assert.deepEqual(pickedPerLine(lists), everyLine);
  });

  it('batch: one walk, lines merged per bin/item/lot with per-order splits, in route order', () => {
    const { lists } = buildPickLists(layout, orders, { kind: 'batch' });
    assert.equal(lists.length, 1);
    const [list] = lists;
    const bolt = list!.picks.find((p) => p.item === 'BOLT')!;
    assert.equal(bolt.quantity, '5.25');
    assert.deepEqual(
      bolt.splits.map((s) => [s.orderId, s.quantity]),
      [
        ['o1', '2'],
        ['o2', '3'],
        ['o3', '0.25'],
      ],
    );
    assert.deepEqual(
      list!.picks.map((p) => p.bin),
      list!.route.order,
    );
    assert.equal(list!.route.length, routeLength(layout, list!.route.order));
    assert.ok(list!.route.length <= list!.route.naiveLength);
    assert.deepEqual(pickedPerLine(lists), everyLine);
  });

  it('batch keeps lots apart', () => {
    const a = order('a', [['A01-005', 'BOLT', '1']]);
    const b = order('b', [['A01-005', 'BOLT', '1']]);
    b.lines[0]!.lot = 'L2';
    const { lists } = buildPickLists(layout, [a, b], { kind: 'batch' });
    assert.equal(lists[0]!.picks.length, 2);
  });

  it('cluster: a cart of N totes, orders assigned to totes', () => {
    const { lists } = buildPickLists(layout, orders, { kind: 'cluster', ordersPerList: 2 });
    assert.deepEqual(
      lists.map((l) => l.totes),
      [{ o1: 1, o2: 2 }, { o3: 1 }],
    );
    const bolt = lists[0]!.picks.find((p) => p.item === 'BOLT')!;
    assert.deepEqual(
      bolt.splits.map((s) => [s.orderId, s.tote]),
      [
        ['o1', 1],
        ['o2', 2],
      ],
    );
    assert.deepEqual(pickedPerLine(lists), everyLine);
  });

  it('zone: one list per zone and a consolidation plan per order', () => {
    const { lists, consolidation } = buildPickLists(layout, orders, { kind: 'zone' });
    assert.deepEqual(
      lists.map((l) => [l.zone, l.orderIds]),
      [
        ['Z1', ['o1', 'o2', 'o3']],
        ['Z2', ['o1', 'o2']],
      ],
    );
    for (const l of lists)
      for (const p of l.picks)
        assert.equal(layout.binByCode.get(p.bin)!.zone, l.zone, 'a zone list stays in its zone');
    assert.deepEqual(consolidation, [
      { orderId: 'o1', zones: ['Z1', 'Z2'] },
      { orderId: 'o2', zones: ['Z1', 'Z2'] },
      { orderId: 'o3', zones: ['Z1'] },
    ]);
    assert.deepEqual(pickedPerLine(lists), everyLine);
  });

  const bad: [string, () => unknown, string][] = [
    [
      'a cluster without a tote count',
      () => buildPickLists(layout, orders, { kind: 'cluster' }),
      'WMS_INVALID_WAVE_RULE',
    ],
    [
      'a negative quantity',
      () => buildPickLists(layout, [order('x', [['A01-001', 'I', '-1']])], { kind: 'batch' }),
      'WMS_INVALID_QUANTITY',
    ],
    [
      'a float-looking quantity',
      () => buildPickLists(layout, [order('x', [['A01-001', 'I', '1e3']])], { kind: 'batch' }),
      'WMS_INVALID_QUANTITY',
    ],
    [
      'an unknown bin',
      () => buildPickLists(layout, [order('x', [['Z9-001', 'I', '1']])], { kind: 'zone' }),
      'WMS_UNKNOWN_BIN',
    ],
  ];
  for (const [name, run, code] of bad) {
    it(`refuses ${name} with ${code}`, () => {
      assert.throws(run, (err: unknown) => isAppError(err) && err.code === code);
    });
  }

  it('refuses mixed units for one merged pick', () => {
    const a = order('a', [['A01-005', 'BOLT', '1']]);
    const b = order('b', [['A01-005', 'BOLT', '1']]);
    b.lines[0]!.uom = 'BOX';
    assert.throws(
      () => buildPickLists(layout, [a, b], { kind: 'batch' }),
      (err: unknown) => isAppError(err) && err.code === 'WMS_UNIT_MISMATCH',
    );
  });
});
