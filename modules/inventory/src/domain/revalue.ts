/**
 * Pure revaluation after a back-dated move: from a checkpoint (the stock as it stood before the
 * move's date), replay the later entries of one item and company in date order, re-costing the
 * outgoing ones (FIFO by date, or moving average). Incoming entries keep their value. The answer is
 * the next state and the value corrections to append. No I/O, no clock.
 */
import { Decimal } from '@tenon/core';
import { averageCost, issueAverage, issueFifo, VALUE_SCALE } from './valuation.ts';

/** JSON-safe (decimal strings): a replay state is stored in the job row between chunks. */
export type StateLayer = {
  /** The inv_layer row it came from; null for a layer the replay created. */
  seq: string | null;
  moveId: string;
  postingDate: string;
  remaining: string;
  remainingValue: string;
  unitCost: string;
};
export type ReplayState = { layers: StateLayer[]; quantity: string; value: string };

export type ReplayEntry = {
  seq: string;
  moveId: string;
  moveType: string;
  /** For a reversal: the move it undoes. */
  reverses: string | null;
  postingDate: string;
  quantity: Decimal;
  /** The entry's value with the corrections already appended for it. */
  value: Decimal;
  /** A transfer inside the company (or its reversal): no value moves. */
  neutral: boolean;
};

export type Correction = { seq: string; diff: Decimal };

const d = (s: string) => new Decimal(s);
const round = (x: Decimal) => x.toDecimalPlaces(VALUE_SCALE, Decimal.ROUND_HALF_UP);

/**
 * The open FIFO layers before a date: of the incoming layers dated before it, the newest ones hold
 * the quantity on hand; the oldest open layer takes whatever makes the sum equal the ledger value.
 */
export function fifoCheckpoint(
  layersBefore: { seq: string; moveId: string; postingDate: string; quantity: Decimal; unitCost: Decimal }[],
  onHand: { quantity: Decimal; value: Decimal },
  fromDate: string,
): ReplayState {
  const open: StateLayer[] = [];
  let left = onHand.quantity;
  for (let i = layersBefore.length - 1; i >= 0 && left.gt(0); i--) {
    const l = layersBefore[i]!;
    const q = Decimal.min(l.quantity, left);
    left = left.minus(q);
    open.unshift({
      seq: l.seq,
      moveId: l.moveId,
      postingDate: l.postingDate,
      remaining: q.toFixed(),
      remainingValue: round(q.times(l.unitCost)).toFixed(),
      unitCost: l.unitCost.toFixed(),
    });
  }
  const layered = open.reduce((s, l) => s.plus(d(l.remaining)), new Decimal(0));
  const rest = onHand.quantity.minus(layered);
  if (!rest.isZero() || open.length === 0) {
    // Negative stock (or stock no layer explains): one layer carries it.
    if (!rest.isZero() || !onHand.value.isZero())
      open.unshift({
        seq: null,
        moveId: '',
        postingDate: fromDate,
        remaining: rest.toFixed(),
        remainingValue: '0',
        unitCost: rest.isZero() ? '0' : round(onHand.value.dividedBy(rest)).toFixed(),
      });
  }
  const others = open.slice(1).reduce((s, l) => s.plus(d(l.remainingValue)), new Decimal(0));
  if (open[0]) open[0].remainingValue = onHand.value.minus(others).toFixed();
  return { layers: open, quantity: onHand.quantity.toFixed(), value: onHand.value.toFixed() };
}

export function replay(
  state: ReplayState,
  entries: ReplayEntry[],
  k: { method: 'fifo' | 'moving_average'; standardCost: Decimal | null },
): { state: ReplayState; corrections: Correction[] } {
  const layers = state.layers.map((l) => ({ ...l }));
  let quantity = d(state.quantity);
  let value = d(state.value);
  const corrections: Correction[] = [];
  const cursor = { head: 0 };
  for (const e of entries) {
    if (e.neutral || e.quantity.isZero()) continue;
    let next = e.value;
    if (e.quantity.gt(0)) {
      if (k.method === 'fifo') layers.push(layerOf(e, e.quantity, e.value));
    } else if (e.moveType === 'reversal') {
      if (k.method === 'fifo') undoIncoming(layers, e);
    } else if (k.method === 'fifo') {
      next = issueFromLayers(layers, e, k.standardCost, cursor).neg();
    } else {
      const fallback = averageCost({ quantity, value }) ?? k.standardCost ?? new Decimal(0);
      next = issueAverage({ quantity, value }, e.quantity.abs(), fallback).neg();
    }
    if (!next.eq(e.value)) corrections.push({ seq: e.seq, diff: next.minus(e.value) });
    quantity = quantity.plus(e.quantity);
    value = value.plus(next);
  }
  return { state: { layers, quantity: quantity.toFixed(), value: value.toFixed() }, corrections };
}

function layerOf(e: ReplayEntry, quantity: Decimal, value: Decimal): StateLayer {
  return {
    seq: null,
    moveId: e.moveId,
    postingDate: e.postingDate,
    remaining: quantity.toFixed(),
    remainingValue: value.toFixed(),
    unitCost: quantity.isZero() ? '0' : round(value.dividedBy(quantity)).toFixed(),
  };
}

/**
 * FIFO issue from the replay's layers. `head` skips layers already used up (they never refill), and
 * only the layers needed are handed to `issueFifo`, so a long replay stays linear.
 */
function issueFromLayers(
  layers: StateLayer[],
  e: ReplayEntry,
  standardCost: Decimal | null,
  cursor: { head: number },
): Decimal {
  while (cursor.head < layers.length && d(layers[cursor.head]!.remaining).lte(0)) cursor.head++;
  const qty = e.quantity.abs();
  const open = [];
  let covered = new Decimal(0);
  for (let i = cursor.head; i < layers.length; i++) {
    const l = layers[i]!;
    const remaining = d(l.remaining);
    if (remaining.lte(0)) continue;
    open.push({ seq: String(i), remaining, remainingValue: d(l.remainingValue), unitCost: d(l.unitCost) });
    covered = covered.plus(remaining);
    if (covered.gte(qty)) break;
  }
  const issue = issueFifo(open, qty, standardCost ?? new Decimal(0));
  for (const take of issue.takes) {
    const l = layers[Number(take.seq)]!;
    l.remaining = d(l.remaining).minus(take.quantity).toFixed();
    l.remainingValue = d(l.remainingValue).minus(take.value).toFixed();
  }
  if (issue.shortfall.gt(0)) layers.push(layerOf(e, issue.shortfall.neg(), issue.shortfallValue.neg()));
  return issue.value;
}

/** A reversed receipt leaves at its own value from its own layer (else from the oldest open one). */
function undoIncoming(layers: StateLayer[], e: ReplayEntry): void {
  const q = e.quantity.abs();
  const own = layers.find((l) => l.moveId === e.reverses && d(l.remaining).gte(q));
  const target = own ?? layers.find((l) => d(l.remaining).gt(0)) ?? layers[0];
  if (!target) {
    layers.push(layerOf(e, e.quantity, e.value));
    return;
  }
  target.remaining = d(target.remaining).minus(q).toFixed();
  target.remainingValue = d(target.remainingValue).plus(e.value).toFixed();
}
