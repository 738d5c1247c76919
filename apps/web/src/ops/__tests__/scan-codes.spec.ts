/** Scanned codes, typed quantities, exact sums of decimal strings, and the location tree. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { locationTree } from '../location-tree.ts';
import { isDecimal, plainQuantity, sameCode, sumMinus } from '../scan-codes.ts';

test('a scanned code matches regardless of case and blanks, never an empty expectation', () => {
  for (const [expected, scanned, same] of [
    ['R1-01', 'r1-01', true],
    ['R1-01', ' R1-01 ', true],
    ['R1-01', 'R1-02', false],
    ['', '', false],
    ['6901000000011', '6901000000011', true],
  ] as const) {
    assert.equal(sameCode(expected, scanned), same, `${expected} ~ ${scanned}`);
  }
});

test('quantities typed by hand are non-negative decimal strings', () => {
  for (const [text, ok] of [
    ['3', true],
    ['2.5', true],
    [' 4 ', true],
    ['-1', false],
    ['1e3', false],
    ['', false],
    ['1.', false],
  ] as const) {
    assert.equal(isDecimal(text), ok, text);
  }
});

test('a + b - c is exact on decimal strings', () => {
  for (const [a, b, c, result] of [
    ['0.1', '0.2', '0', '0.3'],
    ['100', '0', '120', '-20'],
    ['118', '2', '120', '0'],
    ['15.000000', '0', '14', '1'],
    ['-1.5', '0.25', '0', '-1.25'],
    ['99999999999999999.99', '0.01', '0', '100000000000000000'],
  ] as const) {
    assert.equal(sumMinus(a, b, c), result, `${a} + ${b} - ${c}`);
  }
});

test('quantities read without trailing zeros', () => {
  assert.equal(plainQuantity('15.000000'), '15');
  assert.equal(plainQuantity('2.500'), '2.5');
  assert.equal(plainQuantity('120'), '120');
});

test('locations hang under their parent, top ones under their warehouse; a cycle stops', () => {
  const tree = locationTree(
    [{ id: 'w1', code: 'WH1', name: 'Main' }],
    [
      { id: 'z', code: 'Z1', warehouse: 'w1', parent: null, level: 'zone' },
      { id: 'a', code: 'A', warehouse: 'w1', parent: 'z', level: 'aisle' },
      { id: 'b1', code: 'A-01', warehouse: 'w1', parent: 'a', level: 'bin' },
      { id: 'x', code: 'X', warehouse: 'w1', parent: 'y' },
      { id: 'y', code: 'Y', warehouse: 'w1', parent: 'x' },
    ],
  );
  assert.equal(tree.length, 1);
  assert.equal(tree[0]!.title, 'WH1 Main');
  const zone = tree[0]!.children![0]!;
  assert.equal(zone.title, 'Z1 · zone');
  assert.equal(zone.children![0]!.children![0]!.title, 'A-01 · bin');
  assert.equal(tree[0]!.children!.length, 1, 'the x/y cycle has no root and is left out');
});
