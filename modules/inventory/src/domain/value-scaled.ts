/**
 * Pure: the valuation of `value-batch.ts` in integers (bigints of 10^-9 units, the columns' scale),
 * giving decimal.js's results exactly or refusing (NOT_EXACT) so the caller values with decimals.
 * No I/O, no clock.
 */
import { type AnyValuation, type ValuationWrites, writesWith } from './value-batch.ts';
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
