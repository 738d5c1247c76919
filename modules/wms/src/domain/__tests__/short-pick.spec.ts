import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '@tenon/core';
import { decideShortPick } from '../short-pick.ts';

describe('short pick decision', () => {
  const table: [string, string, boolean, string, string, string | null][] = [
    // requested, picked, backorder ok, alternative, expected kind, short qty
    ['5', '5', false, '0', 'complete', null],
    ['5', '3', true, '0', 'backorder', '2'],
    ['5', '3', true, '2', 'repick', '2'],
    ['5', '3', false, '1.5', 'exception', '2'],
    ['5', '0', false, '0', 'exception', '5'],
    ['5', '0', true, '0', 'backorder', '5'],
    ['2.5', '2.25', false, '0.25', 'repick', '0.25'],
  ];
  for (const [requested, picked, allowBackorder, alternativeAvailable, kind, short] of table) {
    it(`${picked} of ${requested} (backorder ${allowBackorder}, ${alternativeAvailable} elsewhere) -> ${kind}`, () => {
      const d = decideShortPick({ requested, picked, policy: { allowBackorder, alternativeAvailable } });
      assert.equal(d.kind, kind);
      if (d.kind !== 'complete') {
        assert.equal(d.shortQuantity, short);
        assert.equal(d.countBin, true);
      }
    });
  }

  it('refuses an over-pick and bad quantities', () => {
    const policy = { allowBackorder: true, alternativeAvailable: '0' };
    assert.throws(
      () => decideShortPick({ requested: '1', picked: '1.01', policy }),
      (err: unknown) => isAppError(err) && err.code === 'WMS_OVER_PICK',
    );
    assert.throws(
      () => decideShortPick({ requested: '0', picked: '0', policy }),
      (err: unknown) => isAppError(err) && err.code === 'WMS_INVALID_QUANTITY',
    );
  });
});
