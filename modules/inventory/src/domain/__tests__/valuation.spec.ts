import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '@tenon/core';
import { allocate, fefoOrder } from '../allocate-reservation.ts';
import { issueAverage, issueFifo, type Layer, receiptValue } from '../valuation.ts';

const d = (s: string) => new Decimal(s);
const layer = (seq: string, remaining: string, cost: string): Layer => ({
  seq,
  remaining: d(remaining),
  unitCost: d(cost),
  remainingValue: d(remaining).times(cost),
});

describe('FIFO issue', () => {
  const layers = [layer('1', '10', '2'), layer('2', '10', '3')];
  const cases: [string, string, string, string, string][] = [
    // name, quantity, value, shortfall, takes
    ['within the first layer', '4', '8', '0', '1:4'],
    ['exactly the first layer', '10', '20', '0', '1:10'],
    ['across two layers', '15', '35', '0', '1:10 2:5'],
    ['everything', '20', '50', '0', '1:10 2:10'],
    ['beyond the layers (negative stock)', '22', '56', '2', '1:10 2:10'],
  ];
  for (const [name, q, value, shortfall, takes] of cases) {
    it(name, () => {
      const r = issueFifo(layers, d(q), d('9'));
      assert.equal(r.value.toString(), value);
      assert.equal(r.shortfall.toString(), shortfall);
      assert.equal(r.takes.map((t) => `${t.seq}:${t.quantity}`).join(' '), takes);
    });
  }
  it('skips negative layers and takes the exact remaining value', () => {
    const odd = [
      layer('1', '-1', '5'),
      { seq: '2', remaining: d('3'), remainingValue: d('1'), unitCost: d('0.333333333') },
    ];
    assert.equal(issueFifo(odd, d('3'), d('0')).value.toString(), '1');
  });
});

describe('moving average issue', () => {
  const cases: [string, string, string, string, string][] = [
    ['part', '4', '10', '2', '5'],
    ['all takes the exact value', '3', '10', '3', '10'],
    ['a third rounds to 9 places', '3', '10', '1', '3.333333333'],
    ['no stock uses the fallback', '0', '0', '2', '14'],
  ];
  for (const [name, qty, value, out, expected] of cases) {
    it(name, () =>
      assert.equal(issueAverage({ quantity: d(qty), value: d(value) }, d(out), d('7')).toString(), expected),
    );
  }
  it('values a receipt', () => assert.equal(receiptValue(d('3'), d('1.1')).toString(), '3.3'));
});

describe('FEFO allocation', () => {
  const lots = [
    { lotId: 'late', expiresOn: '2026-12-01', firstSeq: '1', available: d('5') },
    { lotId: 'none', expiresOn: null, firstSeq: '0', available: d('5') },
    { lotId: 'early', expiresOn: '2026-06-01', firstSeq: '9', available: d('3') },
    { lotId: 'early-older', expiresOn: '2026-06-01', firstSeq: '2', available: d('1') },
  ];
  it('orders by expiry, then by receipt, undated last', () => {
    assert.deepEqual(
      fefoOrder(lots).map((l) => l.lotId),
      ['early-older', 'early', 'late', 'none'],
    );
  });
  it('takes the first-expiring lots', () => {
    const a = allocate(lots, d('6'), false);
    assert.deepEqual(
      a.takes.map((t) => `${t.lotId}:${t.quantity}`),
      ['early-older:1', 'early:3', 'late:2'],
    );
    assert.equal(a.backorder.toString(), '0');
  });
  it('back-orders the rest when partial is allowed, refuses otherwise', () => {
    assert.equal(allocate(lots, d('20'), true).backorder.toString(), '6');
    assert.deepEqual(allocate(lots, d('20'), false).takes, []);
  });
});
