/**
 * Replenishment of pick faces from reserve: a face at or below its minimum is filled up to its
 * maximum from reserve bins, earliest expiry first, then oldest receipt, then bin code. Quantities
 * can be rounded down to whole cases so a face never goes over its maximum.
 */
import { AppError, Decimal as D, type Decimal } from '@tenon/core';
import { WmsErrors } from './errors.ts';
import { nonNegative, positive } from './quantity.ts';

export type PickFace = {
  bin: string;
  item: string;
  uom: string;
  min: string;
  max: string;
  onHand: string;
  /** Replenishment already under way towards this face. */
  incoming?: string;
  /** Move whole cases of this many units. */
  caseQuantity?: string;
};

export type ReserveStock = {
  bin: string;
  item: string;
  lot?: string;
  quantity: string;
  /** Business date `YYYY-MM-DD`. */
  expiry?: string;
  receivedAt?: string;
};

export type ReplenishmentMove = { from: string; to: string; item: string; lot?: string; quantity: string };

export type ReplenishmentPlan = {
  moves: ReplenishmentMove[];
  /** Faces still at or below their minimum after the moves; `missing` is what is short of the maximum. */
  shortages: { bin: string; item: string; missing: string }[];
};

const byFefo = (a: ReserveStock, b: ReserveStock) =>
  (a.expiry ?? '9999-12-31').localeCompare(b.expiry ?? '9999-12-31') ||
  (a.receivedAt ?? '').localeCompare(b.receivedAt ?? '') ||
  a.bin.localeCompare(b.bin);

export function planReplenishment(
  faces: readonly PickFace[],
  reserve: readonly ReserveStock[],
): ReplenishmentPlan {
  const left = new Map<ReserveStock, Decimal>(
    reserve.map((r) => [r, nonNegative(r.quantity, `${r.bin}.${r.item}.quantity`)]),
  );
  const moves: ReplenishmentMove[] = [];
  const shortages: ReplenishmentPlan['shortages'] = [];
  const ordered = [...faces].sort((a, b) => a.bin.localeCompare(b.bin) || a.item.localeCompare(b.item));
  for (const face of ordered) {
    const min = nonNegative(face.min, `${face.bin}.min`);
    const max = nonNegative(face.max, `${face.bin}.max`);
    if (max.lessThan(min))
      throw new AppError(WmsErrors.WMS_INVALID_QUANTITY, { field: `${face.bin}.max`, value: face.max });
    const level = nonNegative(face.onHand, `${face.bin}.onHand`).plus(
      nonNegative(face.incoming ?? '0', `${face.bin}.incoming`),
    );
    if (level.greaterThan(min)) continue;
    const step = face.caseQuantity ? positive(face.caseQuantity, `${face.bin}.caseQuantity`) : null;
    let need = max.minus(level);
    if (step) need = need.dividedToIntegerBy(step).times(step);
    let moved = new D(0);
    for (const stock of reserve.filter((r) => r.item === face.item && r.bin !== face.bin).sort(byFefo)) {
      if (moved.greaterThanOrEqualTo(need)) break;
      let take = D.min(left.get(stock)!, need.minus(moved));
      if (step) take = take.dividedToIntegerBy(step).times(step);
      if (take.lte(0)) continue;
      left.set(stock, left.get(stock)!.minus(take));
      moved = moved.plus(take);
      const move: ReplenishmentMove = {
        from: stock.bin,
        to: face.bin,
        item: face.item,
        quantity: take.toFixed(),
      };
      if (stock.lot !== undefined) move.lot = stock.lot;
      moves.push(move);
    }
    const reached = level.plus(moved);
    if (reached.lte(min))
      shortages.push({ bin: face.bin, item: face.item, missing: max.minus(reached).toFixed() });
  }
  return { moves, shortages };
}
