/** Exact decimal arithmetic for CEL's `decimal` type (decimal.js, bounded digits). */
import { Decimal, parseDecimal } from '@tenon/core';
import { ExprError, quote } from './expr-error.ts';

/** Digits a decimal value may have before the point, and again after it. */
export const MAX_DECIMAL_DIGITS = 1000;
/** Significant digits kept by decimal division (as IEEE 754 decimal128), rounded half-up. */
export const DIVISION_DIGITS = 34;
// decimal.js rounds every result to `precision` significant digits (20 by default). Two bounded operands
// have at most 4 * MAX_DECIMAL_DIGITS significant digits in their exact product, so these results are exact.
const Exact = Decimal.clone({ precision: 4 * MAX_DECIMAL_DIGITS + 4, rounding: Decimal.ROUND_HALF_UP });
const Quotient = Decimal.clone({ precision: DIVISION_DIGITS, rounding: Decimal.ROUND_HALF_UP });

export function bounded(x: Decimal): Decimal {
  if (!x.isFinite()) throw new ExprError('A decimal value must be a finite number');
  if (x.e >= MAX_DECIMAL_DIGITS || x.dp() > MAX_DECIMAL_DIGITS) {
    throw new ExprError(
      `A decimal value may have at most ${MAX_DECIMAL_DIGITS} digits before the point and ${MAX_DECIMAL_DIGITS} after it`,
    );
  }
  return x;
}

/** Back to the shared Decimal class (the constructor copies digits without rounding). */
export const settle = (x: Decimal): Decimal => bounded(new Decimal(x));
export const toDecimal = (v: Decimal | bigint): Decimal =>
  typeof v === 'bigint' ? new Decimal(v.toString()) : v;

export const ARITHMETIC: Record<string, (a: Decimal, b: Decimal) => Decimal> = {
  '+': (a, b) => settle(new Exact(a).plus(b)),
  '-': (a, b) => settle(new Exact(a).minus(b)),
  '*': (a, b) => settle(new Exact(a).times(b)),
  '/': (a, b) => {
    if (b.isZero()) throw new ExprError('Division by zero');
    return settle(new Quotient(a).div(b));
  },
};

export const COMPARISONS: Record<string, (order: number) => boolean> = {
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

export function decimalFromText(text: string): Decimal {
  const value = parseDecimal(text);
  if (!value) throw new ExprError(`decimal(): ${quote(text)} is not a decimal number such as "12.50"`);
  return bounded(value);
}

export function roundHalfUp(value: Decimal, places: bigint): Decimal {
  if (places < 0n || places > BigInt(MAX_DECIMAL_DIGITS)) {
    throw new ExprError(`round(): places must be between 0 and ${MAX_DECIMAL_DIGITS}, got ${places}`);
  }
  return value.toDecimalPlaces(Number(places), Decimal.ROUND_HALF_UP);
}
