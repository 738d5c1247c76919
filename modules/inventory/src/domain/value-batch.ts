/**
 * Pure: values the deltas of many moves against an in-memory valuation per item and company (the
 * open FIFO layers read once, or the moving average), with the same rules as a single posting. The
 * caller writes the touched and new layers afterwards. No I/O, no clock.
 */
import { Decimal } from '@tenon/core';
import { averageCost, issueAverage, issueFifo, receiptValue } from './valuation.ts';

/** A valuation with its numbers as `T` (decimals, or bigints of 10^-9 units). */
export type AnyValuation<T> = {
  quantity: T;
  value: T;
  layers: {
    /** The inv_layer row; null for a layer created in this batch. */
    seq: string | null;
    remaining: T;
    remainingValue: T;
    unitCost: T;
    touched: boolean;
    /** For a new layer: where it comes from and its original quantity. */
    origin?: { moveId: string; postingDate: string; quantity: T };
  }[];
};
export type BatchValuation = AnyValuation<Decimal>;
export type BatchLayer = BatchValuation['layers'][number];

/** The signed value of one delta; updates `v` (quantity, value, layers). */
export function valueDelta(
  v: BatchValuation,
  item: { valuationMethod: string; standardCost: Decimal | null },
  d: { quantity: Decimal; unitCost: string | null },
  move: { moveId: string; postingDate: string },
): Decimal {
  const fallback = averageCost(v) ?? item.standardCost ?? new Decimal(0);
  const qty = d.quantity.abs();
  let value: Decimal;
  const layer = (q: Decimal, val: Decimal, unitCost: Decimal): BatchLayer => ({
    seq: null,
    remaining: q,
    remainingValue: val,
    unitCost,
    touched: true,
    origin: { ...move, quantity: q },
  });
  if (d.quantity.gt(0)) {
    const unitCost = d.unitCost ? new Decimal(d.unitCost) : fallback;
    value = receiptValue(qty, unitCost);
    if (item.valuationMethod === 'fifo') v.layers.push(layer(qty, value, unitCost));
  } else if (item.valuationMethod === 'fifo') {
    const open = v.layers.map((l, i) => ({ ...l, seq: String(i) })).filter((l) => !l.remaining.isZero());
    const issue = issueFifo(open, qty, fallback);
    for (const take of issue.takes) {
      const l = v.layers[Number(take.seq)]!;
      l.remaining = l.remaining.minus(take.quantity);
      l.remainingValue = l.remainingValue.minus(take.value);
      l.touched = true;
    }
    if (issue.shortfall.gt(0)) {
      const cost = issue.shortfallValue.dividedBy(issue.shortfall);
      v.layers.push(layer(issue.shortfall.neg(), issue.shortfallValue.neg(), cost));
    }
    value = issue.value.neg();
  } else {
    value = issueAverage(v, qty, fallback).neg();
  }
  v.quantity = v.quantity.plus(d.quantity);
  v.value = v.value.plus(value);
  return value;
}

export type ValuationWrites = {
  /** Added to inv_valuation per item and company. */
  valuations: { itemId: string; companyId: string; quantity: string; value: string }[];
  /** Existing layers touched: their new remainders. */
  remainders: { seq: string; remaining: string; remainingValue: string }[];
  /** Layers created by the moves. */
  created: Record<
    | 'itemId'
    | 'companyId'
    | 'moveId'
    | 'postingDate'
    | 'quantity'
    | 'remaining'
    | 'remainingValue'
    | 'unitCost',
    string
  >[];
};

/** What to write after valuing: `state` keyed `item|company`, `before` its totals when read. */
export function valuationWrites(
  state: Map<string, BatchValuation>,
  before: Map<string, { quantity: Decimal; value: Decimal }>,
): ValuationWrites {
  const text = (a: Decimal) => a.toFixed();
  return writesWith(state, before, (a, b) => text(a.minus(b)), text);
}

export function writesWith<T>(
  state: Map<string, AnyValuation<T>>,
  before: Map<string, { quantity: T; value: T }>,
  minus: (a: T, b: T) => string,
  text: (a: T) => string,
): ValuationWrites {
  const out: ValuationWrites = { valuations: [], remainders: [], created: [] };
  for (const [k, v] of state) {
    const [itemId, companyId] = k.split('|') as [string, string];
    const b = before.get(k)!;
    const [quantity, value] = [minus(v.quantity, b.quantity), minus(v.value, b.value)];
    out.valuations.push({ itemId, companyId, quantity, value });
    for (const l of v.layers) {
      if (!l.touched) continue;
      if (l.seq !== null)
        out.remainders.push({
          seq: l.seq,
          remaining: text(l.remaining),
          remainingValue: text(l.remainingValue),
        });
      else if (l.origin)
        out.created.push({
          itemId,
          companyId,
          moveId: l.origin.moveId,
          postingDate: l.origin.postingDate,
          quantity: text(l.origin.quantity),
          remaining: text(l.remaining),
          remainingValue: text(l.remainingValue),
          unitCost: text(l.unitCost),
        });
    }
  }
  return out;
}
