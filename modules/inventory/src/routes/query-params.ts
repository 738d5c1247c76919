/** Reading query parameters: each bad value is a 400 INVENTORY_BAD_INPUT naming the parameter. */
import { AppError, type Decimal, isUuid, parseDecimal } from '@tenon/core';
import { InventoryErrors } from '../errors.ts';

export type Query = Record<string, unknown>;

const bad = (field: string, reason: string) =>
  new AppError(InventoryErrors.INVENTORY_BAD_INPUT, { field, reason }, [
    { field, code: 'invalid', message: reason },
  ]);

function text(q: Query, name: string): string | undefined {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw bad(name, 'must be given once');
  return v;
}

export function optionalId(q: Query, name: string): string | undefined {
  const v = text(q, name);
  if (v !== undefined && !isUuid(v)) throw bad(name, 'must be an id');
  return v;
}

export function requiredId(q: Query, name: string): string {
  const v = optionalId(q, name);
  if (v === undefined) throw bad(name, 'is required');
  return v;
}

/** A real calendar date YYYY-MM-DD (2026-02-30 is refused). */
export function isDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export function optionalDate(q: Query, name: string): string | undefined {
  const v = text(q, name);
  if (v !== undefined && !isDate(v)) throw bad(name, 'must be a date YYYY-MM-DD');
  return v;
}

export function integer(q: Query, name: string, range: { min: number; max: number; fallback: number }) {
  const v = text(q, name);
  if (v === undefined) return range.fallback;
  if (!/^\d+$/.test(v) || Number(v) < range.min || Number(v) > range.max)
    throw bad(name, `must be a whole number from ${range.min} to ${range.max}`);
  return Number(v);
}

export function oneOf<T extends string>(q: Query, name: string, values: readonly T[], fallback: T): T {
  const v = text(q, name);
  if (v === undefined) return fallback;
  if (!values.includes(v as T)) throw bad(name, `must be one of ${values.join(', ')}`);
  return v as T;
}

/** A share between 0 and 1 exclusive, e.g. an ABC cut-off. */
export function share(q: Query, name: string, fallback: Decimal): Decimal {
  const v = text(q, name);
  if (v === undefined) return fallback;
  const d = parseDecimal(v);
  if (!d || d.lte(0) || d.gte(1)) throw bad(name, 'must be a decimal between 0 and 1');
  return d;
}

export function requiredText(q: Query, name: string, maxLength = 500): string {
  const v = text(q, name);
  if (v === undefined || v.trim().length === 0) throw bad(name, 'is required');
  if (v.length > maxLength) throw bad(name, `must be at most ${maxLength} characters`);
  return v;
}

export function badInput(field: string, reason: string): AppError {
  return bad(field, reason);
}
