/**
 * Money and quantity values: decimal.js in memory, NUMERIC in the database, strings in JSON.
 * This is the one place that parses them; nothing here ever goes through a binary float.
 */
import { Decimal } from 'decimal.js';

export { Decimal };

const DECIMAL_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** Parses a canonical decimal string ("12", "-0.5", "3.1400"). Returns null for anything else. */
export function parseDecimal(text: string): Decimal | null {
  if (typeof text !== 'string' || !DECIMAL_TEXT.test(text)) return null;
  return new Decimal(text);
}

export function isDecimalText(text: unknown): text is string {
  return typeof text === 'string' && DECIMAL_TEXT.test(text);
}

/** Digits before and after the point of a canonical decimal string. */
export function decimalShape(text: string): { integerDigits: number; scale: number } {
  const unsigned = text.startsWith('-') ? text.slice(1) : text;
  const [intPart = '', frac = ''] = unsigned.split('.');
  const integerDigits = intPart.replace(/^0+/, '').length;
  return { integerDigits, scale: frac.length };
}

/** Minor units per ISO 4217 currency; the default is 2. */
const CURRENCY_SCALE: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
};

export function currencyScale(currency: string): number {
  return CURRENCY_SCALE[currency.toUpperCase()] ?? 2;
}

export type RoundingMode = 'half_up' | 'half_even' | 'down' | 'up';

const MODES: Record<RoundingMode, Decimal.Rounding> = {
  half_up: Decimal.ROUND_HALF_UP,
  half_even: Decimal.ROUND_HALF_EVEN,
  down: Decimal.ROUND_DOWN,
  up: Decimal.ROUND_UP,
};

/** A money amount in one currency. Rounds only when asked, to the currency's minor unit. */
export class Money {
  private constructor(
    readonly amount: Decimal,
    readonly currency: string,
  ) {}

  static of(amount: string | Decimal, currency: string): Money {
    const value = typeof amount === 'string' ? parseDecimal(amount) : amount;
    if (!value) throw new TypeError(`not a decimal amount: ${String(amount)}`);
    return new Money(value, currency.toUpperCase());
  }

  static zero(currency: string): Money {
    return new Money(new Decimal(0), currency.toUpperCase());
  }

  add(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.amount.plus(other.amount), this.currency);
  }

  sub(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.amount.minus(other.amount), this.currency);
  }

  mul(factor: string | Decimal): Money {
    return new Money(this.amount.times(factor), this.currency);
  }

  round(mode: RoundingMode = 'half_up'): Money {
    return new Money(this.amount.toDecimalPlaces(currencyScale(this.currency), MODES[mode]), this.currency);
  }

  isZero(): boolean {
    return this.amount.isZero();
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.amount.equals(other.amount);
  }

  /** Fixed-point string with the currency's scale (rounds half-up). */
  toString(): string {
    return this.amount.toFixed(currencyScale(this.currency), Decimal.ROUND_HALF_UP);
  }

  toJSON(): { amount: string; currency: string } {
    return { amount: this.toString(), currency: this.currency };
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new TypeError(`currency mismatch: ${this.currency} vs ${other.currency}`);
    }
  }
}

/** A quantity in one unit of measure, with the unit's rounding precision. */
export class Quantity {
  private constructor(
    readonly value: Decimal,
    readonly uom: string,
  ) {}

  static of(value: string | Decimal, uom: string): Quantity {
    const parsed = typeof value === 'string' ? parseDecimal(value) : value;
    if (!parsed) throw new TypeError(`not a decimal quantity: ${String(value)}`);
    return new Quantity(parsed, uom);
  }

  add(other: Quantity): Quantity {
    this.assertSameUom(other);
    return new Quantity(this.value.plus(other.value), this.uom);
  }

  sub(other: Quantity): Quantity {
    this.assertSameUom(other);
    return new Quantity(this.value.minus(other.value), this.uom);
  }

  round(scale: number, mode: RoundingMode = 'half_up'): Quantity {
    return new Quantity(this.value.toDecimalPlaces(scale, MODES[mode]), this.uom);
  }

  isNegative(): boolean {
    return this.value.isNegative() && !this.value.isZero();
  }

  toString(): string {
    return this.value.toFixed();
  }

  private assertSameUom(other: Quantity): void {
    if (other.uom !== this.uom) throw new TypeError(`unit mismatch: ${this.uom} vs ${other.uom}`);
  }
}
