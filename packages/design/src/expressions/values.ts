/** Plain JSON-ish data into CEL values for declared variable types, and CEL results back to JSON. */
import { UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { Decimal, parseDecimal } from '@tenon/core';
import type { ExprType } from './cel.ts';
import { bounded, toDecimal } from './decimal.ts';
import { describeValue, ExprError } from './expr-error.ts';

const MAX_DATA_DEPTH = 32;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const INTEGER_TEXT = /^-?\d{1,19}$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function isCalendarDate(text: string): boolean {
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function toInt(value: unknown): bigint {
  let n: bigint | undefined;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && INTEGER_TEXT.test(value)) n = BigInt(value);
  if (n === undefined || n < INT64_MIN || n > INT64_MAX) {
    throw new ExprError(`Expected a 64-bit integer, got ${describeValue(value)}`);
  }
  return n;
}

function toDecimalValue(value: unknown): Decimal {
  if (Decimal.isDecimal(value)) return bounded(new Decimal(value));
  if (typeof value === 'bigint') return toDecimal(toInt(value));
  if (typeof value === 'number' && Number.isSafeInteger(value)) return new Decimal(value);
  if (typeof value === 'string') {
    const parsed = parseDecimal(value);
    if (parsed) return bounded(parsed);
  }
  throw new ExprError(
    `Expected a decimal string such as "12.50", got ${describeValue(value)}` +
      (typeof value === 'number' ? ' (decimals are passed as strings, never as binary floats)' : ''),
  );
}

function toTimestamp(value: unknown): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return new Date(value.getTime());
  if (typeof value === 'string' && INSTANT_TEXT.test(value) && isCalendarDate(value.slice(0, 10))) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new ExprError(
    `Expected an ISO timestamp with a time zone such as "2024-05-01T12:00:00Z", got ${describeValue(value)}`,
  );
}

/** Plain JSON-ish data for 'dyn', 'list' and 'map': integers become int, other numbers decimal. */
function toDynValue(value: unknown, depth: number): unknown {
  if (depth > MAX_DATA_DEPTH) throw new ExprError(`Data is nested more than ${MAX_DATA_DEPTH} levels deep`);
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return toInt(value);
    case 'number':
      if (Number.isSafeInteger(value)) return BigInt(value);
      if (Number.isFinite(value)) return bounded(new Decimal(String(value)));
      throw new ExprError(`Expected a finite number, got ${value}`);
    case 'object':
      break;
    default:
      throw new ExprError(`Unsupported value: ${describeValue(value)}; expressions read plain data only`);
  }
  if (Decimal.isDecimal(value)) return bounded(new Decimal(value));
  if (value instanceof Date) return toTimestamp(value);
  if (Array.isArray(value)) return value.map((item) => toDynValue(item, depth + 1));
  return toMap(value, depth);
}

/** A JS Map, not an object: the library reads an object's `constructor`, which a data key could spoof. */
function toMap(value: unknown, depth: number): Map<string, unknown> {
  let entries: [unknown, unknown][] | undefined;
  if (value instanceof Map) entries = [...value.entries()];
  else if (typeof value === 'object' && value !== null && isPlainObject(value))
    entries = Object.entries(value);
  if (!entries) throw new ExprError(`Expected a map of plain data, got ${describeValue(value)}`);
  const map = new Map<string, unknown>();
  for (const [key, item] of entries) {
    if (typeof key !== 'string') throw new ExprError(`Map keys must be strings, got ${describeValue(key)}`);
    if (item !== undefined) map.set(key, toDynValue(item, depth + 1));
  }
  return map;
}

/** Converts plain JSON-ish record values into CEL values for the declared variable types. */
export function toCelValue(value: unknown, type: ExprType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
    case 'bool':
      if (typeof value !== (type === 'bool' ? 'boolean' : 'string')) {
        throw new ExprError(
          `Expected a ${type === 'bool' ? 'boolean' : 'string'}, got ${describeValue(value)}`,
        );
      }
      return value;
    case 'int':
      return toInt(value);
    case 'decimal':
      return toDecimalValue(value);
    case 'date':
      if (typeof value === 'string' && DATE_TEXT.test(value) && isCalendarDate(value)) return value;
      throw new ExprError(`Expected a date such as "2024-05-01", got ${describeValue(value)}`);
    case 'timestamp':
      return toTimestamp(value);
    case 'list':
      if (!Array.isArray(value)) throw new ExprError(`Expected a list, got ${describeValue(value)}`);
      return toDynValue(value, 0);
    case 'map':
      return toMap(value, 0);
    case 'dyn':
      return toDynValue(value, 0);
    default:
      throw new ExprError(`Unknown expression type '${String(type)}'`);
  }
}

// --- values out -------------------------------------------------------------------------------------

const bigintToJson = (n: bigint): number | string =>
  n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();

/**
 * Converts a CEL result back to JSON: int -> number when safe, else string; decimal -> canonical string;
 * timestamp -> ISO string; a double -> decimal string (finite only); lists and maps recursively.
 */
export function fromCelValue(value: unknown): unknown {
  return fromCel(value, 0);
}

function fromCel(value: unknown, depth: number): unknown {
  if (depth > MAX_DATA_DEPTH)
    throw new ExprError(`The result is nested more than ${MAX_DATA_DEPTH} levels deep`);
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return bigintToJson(value);
    case 'number':
      if (!Number.isFinite(value)) throw new ExprError(`The result is not a finite number (${value})`);
      return new Decimal(String(value)).toFixed();
  }
  if (Decimal.isDecimal(value)) {
    if (!value.isFinite()) throw new ExprError('The result is not a finite decimal');
    return value.toFixed();
  }
  if (value instanceof UnsignedInt) return bigintToJson(value.valueOf());
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ExprError('The result is an invalid timestamp');
    return value.toISOString();
  }
  if (Array.isArray(value) || value instanceof Set) return [...value].map((item) => fromCel(item, depth + 1));
  if (value instanceof Map) {
    return Object.fromEntries(
      [...value].map(([k, v]) => [String(fromCel(k, depth + 1)), fromCel(v, depth + 1)]),
    );
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v, depth + 1)]));
  }
  throw new ExprError(`A result of type ${describeValue(value)} cannot be converted to JSON`);
}
