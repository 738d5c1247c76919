/** Pure ABC classification: items sorted by measure, classed by cumulative share against cut-offs. */
import { Decimal } from '@tenon/core';

export type AbcCutoffs = { a: Decimal; b: Decimal };
export const DEFAULT_CUTOFFS: AbcCutoffs = { a: new Decimal('0.8'), b: new Decimal('0.95') };

export function classifyAbc(
  rows: { item: string; measure: Decimal }[],
  cutoffs: AbcCutoffs = DEFAULT_CUTOFFS,
): { item: string; measure: string; share: string; abcClass: 'A' | 'B' | 'C' }[] {
  const sorted = [...rows].sort((x, y) => y.measure.comparedTo(x.measure) || (x.item < y.item ? -1 : 1));
  const total = sorted.reduce((s, r) => s.plus(r.measure), new Decimal(0));
  let before = new Decimal(0);
  return sorted.map((r) => {
    // An item's class is decided by the share before it: the item that crosses a cut-off still belongs to it.
    const startShare = total.isZero() ? new Decimal(1) : before.dividedBy(total);
    before = before.plus(r.measure);
    const abcClass = startShare.lt(cutoffs.a) ? 'A' : startShare.lt(cutoffs.b) ? 'B' : 'C';
    const share = total.isZero() ? new Decimal(0) : r.measure.dividedBy(total);
    return {
      item: r.item,
      measure: r.measure.toFixed(),
      share: share.toDecimalPlaces(6).toFixed(),
      abcClass,
    };
  });
}
