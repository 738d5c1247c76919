import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '@tenon/core';
import { type BatchValuation, valueDelta } from '../value-batch.ts';

const d = (x: string | number) => new Decimal(x);
const move = { moveId: 'm', postingDate: '2026-01-01' };
const fifo = { valuationMethod: 'fifo', standardCost: d(9) };

describe('valueDelta', () => {
  it('FIFO: issues take read layers before the batch own receipts, in order', () => {
    const v: BatchValuation = {
      quantity: d(2),
      value: d(2),
      layers: [{ seq: '7', remaining: d(2), remainingValue: d(2), unitCost: d(1), touched: false }],
    };
    assert.equal(valueDelta(v, fifo, { quantity: d(3), unitCost: '5' }, move).toFixed(), '15');
    assert.equal(valueDelta(v, fifo, { quantity: d(-4), unitCost: null }, move).toFixed(), '-12');
    assert.deepEqual(
      v.layers.map((l) => [l.seq, l.remaining.toFixed(), l.touched, l.origin?.quantity.toFixed()]),
      [
        ['7', '0', true, undefined],
        [null, '1', true, '3'],
      ],
    );
    assert.deepEqual([v.quantity.toFixed(), v.value.toFixed()], ['1', '5']);
  });

  it('FIFO: a shortfall becomes a negative layer at the last cost', () => {
    const v: BatchValuation = { quantity: d(0), value: d(0), layers: [] };
    assert.equal(valueDelta(v, fifo, { quantity: d(-2), unitCost: null }, move).toFixed(), '-18');
    assert.equal(v.layers[0]!.remaining.toFixed(), '-2');
  });

  it('moving average: receipts at cost, issues at the average of the moment', () => {
    const v: BatchValuation = { quantity: d(10), value: d(10), layers: [] };
    const avg = { valuationMethod: 'moving_average', standardCost: null };
    valueDelta(v, avg, { quantity: d(10), unitCost: '3' }, move);
    assert.equal(valueDelta(v, avg, { quantity: d(-5), unitCost: null }, move).toFixed(), '-10');
    assert.equal(v.layers.length, 0);
  });
});
