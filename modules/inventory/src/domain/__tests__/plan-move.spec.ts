import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '@tenon/core';
import { type ItemFacts, lockOrder, type MoveType, planMove } from '../plan-move.ts';

const plain: ItemFacts = { id: 'i1', itemType: 'stocked', tracking: 'none' };
const lotted: ItemFacts = { id: 'i2', itemType: 'stocked', tracking: 'lot' };
const serial: ItemFacts = { id: 'i3', itemType: 'stocked', tracking: 'serial' };
const service: ItemFacts = { id: 'i4', itemType: 'service', tracking: 'none' };

type Case = [string, MoveType, Partial<Parameters<typeof planMove>[1][0]>, string | [string, string][]];
const line = (o: Partial<Parameters<typeof planMove>[1][0]>) => ({
  lineNo: 1,
  item: plain,
  from: null,
  to: null,
  lot: null,
  serial: null,
  quantity: new Decimal(1),
  ...o,
});

// name, type, line, expected error fragment or [direction, signed quantity] per delta
const CASES: Case[] = [
  ['receipt in', 'receipt', { to: 'L1', quantity: new Decimal('2.5') }, [['in', '2.5']]],
  ['receipt with from', 'receipt', { from: 'L0', to: 'L1' }, 'has no from_location'],
  ['receipt without to', 'receipt', {}, 'to_location is required'],
  ['issue out', 'issue', { from: 'L1', quantity: new Decimal(3) }, [['out', '-3']]],
  ['issue with to', 'issue', { from: 'L1', to: 'L2' }, 'has no to_location'],
  ['scrap out', 'scrap', { from: 'L1' }, [['out', '-1']]],
  [
    'transfer both',
    'transfer',
    { from: 'L1', to: 'L2' },
    [
      ['out', '-1'],
      ['in', '1'],
    ],
  ],
  ['transfer same place', 'transfer', { from: 'L1', to: 'L1' }, 'the same'],
  ['transfer missing to', 'transfer', { from: 'L1' }, 'to_location is required'],
  ['adjustment up', 'adjustment', { to: 'L1' }, [['in', '1']]],
  ['adjustment down', 'adjustment', { from: 'L1' }, [['out', '-1']]],
  ['adjustment both', 'adjustment', { from: 'L1', to: 'L2' }, 'either'],
  ['adjustment none', 'adjustment', {}, 'either'],
  ['zero quantity', 'receipt', { to: 'L1', quantity: new Decimal(0) }, 'greater than 0'],
  ['negative quantity', 'receipt', { to: 'L1', quantity: new Decimal(-1) }, 'greater than 0'],
  ['service item', 'receipt', { to: 'L1', item: service }, 'not stocked'],
  ['lot item without lot', 'receipt', { to: 'L1', item: lotted }, 'lot is required'],
  ['lot item with lot', 'receipt', { to: 'L1', item: lotted, lot: 'LOT1' }, [['in', '1']]],
  ['serial item without serial', 'receipt', { to: 'L1', item: serial }, 'serial is required'],
  [
    'serial item quantity 2',
    'receipt',
    { to: 'L1', item: serial, serial: 'S1', quantity: new Decimal(2) },
    'exactly 1',
  ],
  ['serial item ok', 'issue', { from: 'L1', item: serial, serial: 'S1' }, [['out', '-1']]],
  ['untracked with lot', 'receipt', { to: 'L1', lot: 'LOT1' }, 'not tracked'],
];

describe('planMove', () => {
  for (const [name, type, l, expected] of CASES) {
    it(name, () => {
      if (typeof expected === 'string') {
        assert.throws(
          () => planMove(type, [line(l)]),
          (err: Error) => err.message.includes(expected),
        );
      } else {
        const deltas = planMove(type, [line(l)]);
        assert.deepEqual(
          deltas.map((d) => [d.direction, d.quantity.toString()]),
          expected,
        );
      }
    });
  }
  it('refuses an empty move and an unknown type', () => {
    assert.throws(() => planMove('receipt', []), /at least one line/);
    assert.throws(() => planMove('teleport' as MoveType, [line({ to: 'L1' })]), /unknown move type/);
  });
  it('orders lock keys and removes duplicates', () => {
    const k = (itemId: string, locationId: string) => ({ itemId, locationId, lotId: null, serialId: null });
    const sorted = lockOrder([k('b', '1'), k('a', '2'), k('b', '1'), k('a', '1')]);
    assert.deepEqual(
      sorted.map((x) => `${x.itemId}${x.locationId}`),
      ['a1', 'a2', 'b1'],
    );
  });
});
