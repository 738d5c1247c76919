/**
 * What a short pick leads to, as a pure decision: the order line either waits for the rest
 * (back-order) or an exception task goes to a supervisor; and the bin that held less than the
 * system believed is always counted.
 */
import { AppError } from '@tenon/core';
import { WmsErrors } from './errors.ts';
import { nonNegative, positive } from './quantity.ts';

export type ShortPickPolicy = {
  /** The customer accepts partial deliveries with the rest back-ordered. */
  allowBackorder: boolean;
  /** Other bins hold free stock of the item and lot: try them before giving up. */
  alternativeAvailable: string;
};

export type ShortPickDecision =
  | { kind: 'complete' }
  | {
      kind: 'repick' | 'backorder' | 'exception';
      /** Missing quantity. */
      shortQuantity: string;
      /** The bin held less than recorded: a cycle count is due. */
      countBin: true;
      reason: 'alternative_stock' | 'backorder_allowed' | 'partial_delivery_refused' | 'nothing_picked';
    };

export function decideShortPick(input: {
  requested: string;
  picked: string;
  policy: ShortPickPolicy;
}): ShortPickDecision {
  const requested = positive(input.requested, 'requested');
  const picked = nonNegative(input.picked, 'picked');
  const alternative = nonNegative(input.policy.alternativeAvailable, 'alternativeAvailable');
  if (picked.greaterThan(requested))
    throw new AppError(WmsErrors.WMS_OVER_PICK, { picked: input.picked, requested: input.requested });
  const short = requested.minus(picked);
  if (short.isZero()) return { kind: 'complete' };
  const shortQuantity = short.toFixed();
  if (alternative.greaterThanOrEqualTo(short))
    return { kind: 'repick', shortQuantity, countBin: true, reason: 'alternative_stock' };
  if (input.policy.allowBackorder)
    return { kind: 'backorder', shortQuantity, countBin: true, reason: 'backorder_allowed' };
  return {
    kind: 'exception',
    shortQuantity,
    countBin: true,
    reason: picked.isZero() ? 'nothing_picked' : 'partial_delivery_refused',
  };
}
