import { AppError, type Decimal, parseDecimal } from '@tenon/core';
import { WmsErrors } from './errors.ts';

/** Parses a non-negative decimal string or raises WMS_INVALID_QUANTITY naming the field. */
export function nonNegative(text: string, field: string): Decimal {
  const value = parseDecimal(text);
  if (!value || value.isNegative())
    throw new AppError(WmsErrors.WMS_INVALID_QUANTITY, { field, value: text });
  return value;
}

/** Parses a strictly positive decimal string or raises WMS_INVALID_QUANTITY naming the field. */
export function positive(text: string, field: string): Decimal {
  const value = nonNegative(text, field);
  if (value.isZero()) throw new AppError(WmsErrors.WMS_INVALID_QUANTITY, { field, value: text });
  return value;
}
