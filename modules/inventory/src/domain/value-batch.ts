/**
 * Pure: values the deltas of many moves against an in-memory valuation per item and company (the
 * open FIFO layers read once, or the moving average), with the same rules as a single posting. The
 * caller writes the touched and new layers afterwards. No I/O, no clock.
 */
import { AppError, Decimal } from '@tenon/core';
import { InventoryErrors } from '../errors.ts';
import { NIL } from '../migrations.ts';
import type { LocationDelta } from './plan-move.ts';
import { averageCost, issueAverage, issueFifo, receiptValue } from './valuation.ts';

/** A valuation with its numbers as `T` (decimals, or bigints of 10^-9 units). */
type AnyValuation<T> = {
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

function writesWith<T>(
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

/**
 * The same valuation in integers (a bigint of 10^-9 units, the columns' scale). decimal.js keeps 20
 * significant digits per operation: the integer path gives its results unless a product needs more
 * or an average cost becomes a unit cost, and throws this then (the caller uses `valueDelta`).
 */
export const NOT_EXACT = new Error('not exact in scaled integers');

const UNIT = 10n ** 9n;
/** Below this, a number of 10^-9 units has at most 20 digits: decimal.js holds it exactly. */
const LIMIT = 10n ** 20n;

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+?)0*)?$/;

/** A decimal string with at most 9 places (trailing zeros aside) as 10^-9 units; else null. */
export function toScaled(text: string): bigint | null {
  const m = DECIMAL_TEXT.exec(text);
  if (!m || (m[3]?.length ?? 0) > 9) return null;
  const units = BigInt(m[2]! + (m[3] ?? '').padEnd(9, '0'));
  return m[1] ? -units : units;
}

/** 10^-9 units as the shortest decimal string (what decimal.js's toFixed() writes). */
export function scaledText(units: bigint): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(10, '0');
  const fraction = digits.slice(-9).replace(/0+$/, '');
  return `${negative ? '-' : ''}${digits.slice(0, -9)}${fraction ? `.${fraction}` : ''}`;
}

/** A sum or difference decimal.js would hold exactly. */
function exact(x: bigint): bigint {
  if (x >= LIMIT || x <= -LIMIT) throw NOT_EXACT;
  return x;
}

/** a × b in 10^-18 units, when decimal.js's `times` (20 significant digits) keeps it whole. */
function timesExact(a: bigint, b: bigint): bigint {
  const product = a * b;
  let significant = product < 0n ? -product : product;
  if (significant >= LIMIT) {
    while (significant % 10n === 0n) significant /= 10n;
    if (significant >= LIMIT) throw NOT_EXACT;
  }
  return product;
}

/** round(a × b) to 9 places, half away from zero, as decimal.js's `times` then `toDecimalPlaces`. */
function timesRounded(a: bigint, b: bigint): bigint {
  const product = timesExact(a, b);
  let magnitude = product < 0n ? -product : product;
  const rest = magnitude % UNIT;
  magnitude /= UNIT;
  if (rest * 2n >= UNIT) magnitude += 1n;
  return exact(product < 0n ? -magnitude : magnitude);
}

/**
 * round(a × b ÷ c) to 9 places for c > 0, as decimal.js's `times`, `dividedBy` (each to 20
 * significant digits, half away from zero) and `toDecimalPlaces`: the moving average of an issue.
 */
function timesDividedRounded(a: bigint, b: bigint, c: bigint): bigint {
  const product = timesExact(a, b);
  const p = product < 0n ? -product : product;
  if (p === 0n) return 0n;
  const pow = (k: number) => 10n ** BigInt(k);
  // p ÷ (c × 10^9) lies in [10^e, 10^(e+1)): its 20 digits are n × 10^(e-19), in units n × 10^(e-10).
  const den = c * UNIT;
  const atLeast = (k: number) => (k >= 0 ? p >= den * pow(k) : p * pow(-k) >= den);
  let e = p.toString().length - den.toString().length;
  while (!atLeast(e)) e--;
  while (atLeast(e + 1)) e++;
  const [num, div] = e <= 19 ? [p * pow(19 - e), den] : [p, den * pow(e - 19)];
  let n = num / div;
  if ((num % div) * 2n >= div) n += 1n;
  const step = pow(Math.abs(e - 10));
  let units = e >= 10 ? n * step : n / step;
  if (e < 10 && (n % step) * 2n >= step) units += 1n;
  return exact(product < 0n ? -units : units);
}

/** `head`: layers before it have nothing left to take (zero or negative remainders). */
export type ScaledValuation = AnyValuation<bigint> & { head: number };

/**
 * `valueDelta` in 10^-9 units: the same value and the same changes to `v`, or NOT_EXACT (`v` may
 * then be half changed: a caller that catches it drops the whole state).
 */
export function valueDeltaScaled(
  v: ScaledValuation,
  item: { valuationMethod: string; standardCost: bigint | null },
  d: { quantity: bigint; unitCost: bigint | null },
  move: { moveId: string; postingDate: string },
): bigint {
  // The fallback cost: the average when there is stock (a division: not exact here), else the standard cost.
  const fallback = () => {
    if (v.quantity > 0n) throw NOT_EXACT;
    return item.standardCost ?? 0n;
  };
  let value: bigint;
  exact(d.quantity);
  if (d.quantity > 0n) {
    const qty = d.quantity;
    const unitCost = d.unitCost ?? fallback();
    value = timesRounded(qty, unitCost);
    if (item.valuationMethod === 'fifo')
      v.layers.push({
        seq: null,
        remaining: qty,
        remainingValue: value,
        unitCost,
        touched: true,
        origin: { moveId: move.moveId, postingDate: move.postingDate, quantity: qty },
      });
  } else if (item.valuationMethod === 'fifo') {
    let left = -d.quantity;
    let taken = 0n;
    const layers = v.layers;
    for (let i = v.head; i < layers.length && left > 0n; i++) {
      const l = layers[i]!;
      if (l.remaining <= 0n) continue;
      // biome-ignore lint/complexity/useMathMinMax: bigint, which Math.min does not take
      const q = left < l.remaining ? left : l.remaining;
      const part = q === l.remaining ? l.remainingValue : timesRounded(q, l.unitCost);
      l.remaining = exact(l.remaining - q);
      l.remainingValue = exact(l.remainingValue - part);
      l.touched = true;
      taken = exact(taken + part);
      left -= q;
    }
    while (v.head < layers.length && layers[v.head]!.remaining <= 0n) v.head++;
    // Stock beyond the open layers: its cost is a division (the shortfall layer's unit cost).
    if (left > 0n) throw NOT_EXACT;
    value = -taken;
  } else {
    const qty = -d.quantity;
    if (v.quantity > 0n && qty === v.quantity) value = -v.value;
    else if (v.quantity > 0n) value = -timesDividedRounded(qty, v.value, v.quantity);
    else value = -timesRounded(qty, fallback());
  }
  v.quantity = exact(v.quantity + d.quantity);
  v.value = exact(v.value + value);
  return value;
}

/** `valuationWrites` for the integer state: the same rows, the numbers as decimal strings. */
export function valuationWritesScaled(
  state: Map<string, ScaledValuation>,
  before: Map<string, { quantity: bigint; value: bigint }>,
): ValuationWrites {
  return writesWith(state, before, (a, b) => scaledText(exact(a - b)), scaledText);
}

/** One move of a batch: its planned location deltas with their warehouse, company and unit cost. */
export type BatchMove = {
  moveId: string;
  moveType: string;
  postingDate: string;
  sourceType: string | null;
  sourceId: string | null;
  deltas: BatchDelta[];
};
/** `units`: the quantity in 10^-9 units, null when it has more than 9 places. */
export type BatchDelta = LocationDelta & { warehouseId: string; companyId: string } & {
  unitCost: string | null;
  units: bigint | null;
};

/** The rows as the database answered them after adding `applied`, and the layers issues can reach. */
export type BatchStart = {
  stock: Map<string, { onHand: string; reserved: string; applied: string }>;
  balances: Map<string, { onHand: string; applied: string }>;
  valuations: Map<string, { quantity: string; value: string }>;
  layers: Record<'item_id' | 'company_id' | 'seq' | 'remaining' | 'remaining_value' | 'unit_cost', string>[];
};

/** A ledger row of the batch, its numbers as decimal strings. */
export type BatchLedgerRow = Omit<BatchMove, 'deltas'> &
  Omit<BatchDelta, 'quantity' | 'direction' | 'unitCost' | 'units'> & { quantity: string; value: string };

export type BatchContext = {
  moves: BatchMove[];
  start: BatchStart;
  items: Map<string, { valuationMethod: string; standardCost: Decimal | null }>;
  warehouses: Map<string, { allowNegative: boolean }>;
  /** Wraps the checks of move `n` (names the move in a refusal). */
  refer: <T>(n: number, f: () => T) => T;
};

const balanceKeyOf = (d: BatchDelta) => `${d.itemId}|${d.locationId}|${d.lotId ?? NIL}|${d.serialId ?? NIL}`;

/**
 * Checks (stock, others' reservations, serials) and values a batch's moves in order: its ledger rows
 * and valuation writes, in scaled integers or, when they throw NOT_EXACT, with `valueDelta`.
 */
export function valueMoves(c: BatchContext): { ledger: BatchLedgerRow[]; writes: ValuationWrites } {
  try {
    return valueMovesScaled(c);
  } catch (err) {
    if (err !== NOT_EXACT) throw err;
    return valueMovesDecimal(c);
  }
}

type Numbers<T> = {
  zero: T;
  quantity: (d: BatchDelta) => T;
  parse: (text: string) => T;
  plus: (a: T, b: T) => T;
  minus: (a: T, b: T) => T;
  cmp: (a: T, b: T) => number;
  text: (a: T) => string;
};

/** `x`; NOT_EXACT when it is null (a number with more than 9 places). */
function given(x: bigint | null): bigint {
  if (x === null) throw NOT_EXACT;
  return x;
}

const SCALED: Numbers<bigint> = {
  zero: 0n,
  quantity: (d) => given(d.units),
  parse: (text) => given(toScaled(text)),
  plus: (a, b) => a + b,
  minus: (a, b) => a - b,
  cmp: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  text: scaledText,
};

const DECIMAL: Numbers<Decimal> = {
  zero: new Decimal(0),
  quantity: (d) => d.quantity,
  parse: (text) => new Decimal(text),
  plus: (a, b) => a.plus(b),
  minus: (a, b) => a.minus(b),
  cmp: (a, b) => a.cmp(b),
  text: (a) => a.toFixed(),
};

/** The checks of one delta against the running stock and balance rows; answers the delta's quantity. */
function checkDelta<T>(
  n: Numbers<T>,
  [d, q, allowNegative]: [BatchDelta, T, boolean],
  k: { balances: Map<string, T>; stock: Map<string, { onHand: T; reserved: T }> },
) {
  const bk = balanceKeyOf(d);
  const next = n.plus(k.balances.get(bk)!, q);
  if (n.cmp(next, n.zero) < 0 && (d.serialId || !allowNegative)) {
    throw d.serialId
      ? new AppError(InventoryErrors.INVENTORY_SERIAL_UNAVAILABLE, { serial: d.serialId })
      : new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_STOCK, {
          item: d.itemId,
          location: d.locationId,
          onHand: n.text(n.minus(next, q)),
          needed: n.text(n.minus(n.zero, q)),
        });
  }
  k.balances.set(bk, next);
  const s = k.stock.get(`${d.itemId}|${d.warehouseId}`)!;
  if (n.cmp(q, n.zero) < 0 && n.cmp(n.plus(s.onHand, q), s.reserved) < 0 && !allowNegative) {
    const available = n.minus(s.onHand, s.reserved);
    throw new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_AVAILABLE, {
      item: d.itemId,
      available: n.cmp(available, n.zero) < 0 ? '0' : n.text(available),
      requested: n.text(n.minus(n.zero, q)),
    });
  }
  s.onHand = n.plus(s.onHand, q);
}

/** The batch in order with one kind of number: `value` values a delta against its valuation state. */
function valueMovesWith<T, V>(
  n: Numbers<T>,
  c: BatchContext,
  k: {
    state: (b: { quantity: T; value: T }) => V;
    value: (v: V, d: BatchDelta, quantity: T, m: BatchMove) => T;
    writes: (state: Map<string, V>, before: Map<string, { quantity: T; value: T }>) => ValuationWrites;
  },
) {
  // The rows before the batch: the database answered them after the deltas were added.
  const balances = new Map<string, T>();
  for (const [key, b] of c.start.balances) balances.set(key, n.minus(n.parse(b.onHand), n.parse(b.applied)));
  const stock = new Map<string, { onHand: T; reserved: T }>();
  for (const [key, s] of c.start.stock)
    stock.set(key, { onHand: n.minus(n.parse(s.onHand), n.parse(s.applied)), reserved: n.parse(s.reserved) });
  const state = new Map<string, V>();
  const before = new Map<string, { quantity: T; value: T }>();
  for (const [key, v] of c.start.valuations) {
    const b = { quantity: n.parse(v.quantity), value: n.parse(v.value) };
    before.set(key, b);
    state.set(key, k.state(b));
  }
  for (const l of c.start.layers) {
    const v = state.get(`${l.item_id}|${l.company_id}`);
    if (v === undefined) continue;
    const [remaining, remainingValue, unitCost] = [l.remaining, l.remaining_value, l.unit_cost].map(
      n.parse,
    ) as [T, T, T];
    (v as { layers: object[] }).layers.push({
      seq: l.seq,
      remaining,
      remainingValue,
      unitCost,
      touched: false,
    });
  }
  const ledger: BatchLedgerRow[] = [];
  for (const [i, m] of c.moves.entries())
    c.refer(i, () => {
      for (const d of m.deltas) {
        const quantity = n.quantity(d);
        checkDelta(n, [d, quantity, c.warehouses.get(d.warehouseId)!.allowNegative], { balances, stock });
        const value = k.value(state.get(`${d.itemId}|${d.companyId}`)!, d, quantity, m);
        ledger.push({
          moveId: m.moveId,
          lineNo: d.lineNo,
          moveType: m.moveType,
          itemId: d.itemId,
          warehouseId: d.warehouseId,
          companyId: d.companyId,
          locationId: d.locationId,
          lotId: d.lotId,
          serialId: d.serialId,
          quantity: n.text(quantity),
          value: n.text(value),
          postingDate: m.postingDate,
          sourceType: m.sourceType,
          sourceId: m.sourceId,
        });
      }
    });
  return { ledger, writes: k.writes(state, before) };
}

function valueMovesScaled(c: BatchContext) {
  const items = new Map<string, { valuationMethod: string; standardCost: bigint | null }>();
  for (const [id, item] of c.items)
    items.set(id, {
      valuationMethod: item.valuationMethod,
      standardCost: item.standardCost === null ? null : SCALED.parse(item.standardCost.toFixed()),
    });
  return valueMovesWith<bigint, ScaledValuation>(SCALED, c, {
    state: (b) => ({ quantity: b.quantity, value: b.value, layers: [], head: 0 }),
    value: (v, d, quantity, m) =>
      valueDeltaScaled(
        v,
        items.get(d.itemId)!,
        { quantity, unitCost: d.unitCost ? SCALED.parse(d.unitCost) : null },
        m,
      ),
    writes: valuationWritesScaled,
  });
}

function valueMovesDecimal(c: BatchContext) {
  return valueMovesWith<Decimal, BatchValuation>(DECIMAL, c, {
    state: (b) => ({ quantity: b.quantity, value: b.value, layers: [] }),
    value: (v, d, _quantity, m) => valueDelta(v, c.items.get(d.itemId)!, d, m),
    writes: valuationWrites,
  });
}
