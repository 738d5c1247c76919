/**
 * Pure valuation: FIFO layers and moving average. Each layer carries its remaining value, so the
 * stock value always equals the sum of the layers exactly (no re-multiplication drift).
 */
import { Decimal } from '@tenon/core';

export const VALUE_SCALE = 9;
const round = (d: Decimal) => d.toDecimalPlaces(VALUE_SCALE, Decimal.ROUND_HALF_UP);

export type Layer = { seq: string; remaining: Decimal; remainingValue: Decimal; unitCost: Decimal };
export type LayerTake = { seq: string; quantity: Decimal; value: Decimal };

export type FifoIssue = {
  /** Positive value leaving stock. */
  value: Decimal;
  takes: LayerTake[];
  /** Quantity no open layer covered (negative stock allowed): valued at `fallbackCost`. */
  shortfall: Decimal;
  shortfallValue: Decimal;
};

/** Takes `quantity` from the oldest layers with stock; what is left is the shortfall. */
export function issueFifo(layers: Layer[], quantity: Decimal, fallbackCost: Decimal): FifoIssue {
  let left = quantity;
  let value = new Decimal(0);
  const takes: LayerTake[] = [];
  for (const layer of layers) {
    if (left.lte(0)) break;
    if (layer.remaining.lte(0)) continue;
    const q = Decimal.min(left, layer.remaining);
    const v = q.eq(layer.remaining) ? layer.remainingValue : round(q.times(layer.unitCost));
    takes.push({ seq: layer.seq, quantity: q, value: v });
    value = value.plus(v);
    left = left.minus(q);
  }
  const lastCost = layers.length > 0 ? layers[layers.length - 1]!.unitCost : fallbackCost;
  const shortfallValue = left.gt(0) ? round(left.times(lastCost)) : new Decimal(0);
  return { value: value.plus(shortfallValue), takes, shortfall: Decimal.max(left, 0), shortfallValue };
}

export type Average = { quantity: Decimal; value: Decimal };

/** Value leaving stock at the moving average; the last unit out takes the exact remaining value. */
export function issueAverage(current: Average, quantity: Decimal, fallbackCost: Decimal): Decimal {
  if (current.quantity.gt(0) && quantity.eq(current.quantity)) return current.value;
  if (current.quantity.gt(0)) return round(quantity.times(current.value).dividedBy(current.quantity));
  return round(quantity.times(fallbackCost));
}

export function receiptValue(quantity: Decimal, unitCost: Decimal): Decimal {
  return round(quantity.times(unitCost));
}

export function averageCost(current: Average): Decimal | null {
  return current.quantity.gt(0) ? current.value.dividedBy(current.quantity) : null;
}
