/** Between table rows and API records: decimals stay strings, integers become numbers. */
import { currencyScale, Decimal } from '@tenon/core';
import type { CompiledEntity } from '../registry.ts';
import { DEFAULT_CURRENCY } from '../registry.ts';
import type { FieldDef } from '../types.ts';
import { openValue } from './encryption.ts';

export type RecordData = Record<string, unknown>;

export const SYSTEM_FIELDS = [
  'id',
  'version',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
] as const;

/** PostgreSQL's numeric text is plain (`-12.3400`): a digit after an optional sign, no exponent. */
const plainNumber = (text: string) => {
  const c = text.charCodeAt(text.charCodeAt(0) === 45 ? 1 : 0);
  return c >= 48 && c <= 57;
};

/** `Decimal(text).toFixed()` by string operations for PostgreSQL's plain numeric text. */
export function trimDecimal(text: string): string {
  if (!plainNumber(text)) return new Decimal(text).toFixed();
  if (!text.includes('.')) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  const out = text.slice(0, end);
  return out === '-0' ? '0' : out;
}

/** A rounded zero without its sign: `-0.00` is `0.00`, as PostgreSQL's `round` gives it. */
const unsignedZero = (text: string) =>
  text.charCodeAt(0) === 45 && /^-0(?:\.0*)?$/.test(text) ? text.slice(1) : text;

/**
 * `Decimal(text).toFixed(scale)` (a rounded zero unsigned), without decimal.js when no rounding is
 * needed (the cut digits are 0).
 */
export function fixedDecimal(text: string, scale: number): string {
  if (plainNumber(text)) {
    const dot = text.indexOf('.');
    const digits = dot === -1 ? 0 : text.length - dot - 1;
    if (digits <= scale) {
      if (digits === scale) return text;
      return `${text}${dot === -1 ? '.' : ''}${'0'.repeat(scale - digits)}`;
    }
    let zeros = true;
    for (let i = dot + 1 + scale; i < text.length && zeros; i++) zeros = text.charCodeAt(i) === 48;
    if (zeros && !text.startsWith('-')) return text.slice(0, scale === 0 ? dot : dot + 1 + scale);
  }
  return unsignedZero(new Decimal(text).toFixed(scale));
}

export function columnValueOut(
  field: FieldDef,
  value: unknown,
  row: RecordData,
  entity: CompiledEntity,
): unknown {
  if (value === null || value === undefined) return null;
  if (field.encrypted) return openValue(entity, field, value);
  switch (field.kind) {
    case 'integer':
      return Number(value);
    case 'money': {
      const fromField = field.currencyField ? row[field.currencyField] : undefined;
      const currency =
        typeof fromField === 'string'
          ? fromField
          : (field.currency ?? entity.tenant.settings.currency ?? DEFAULT_CURRENCY);
      return fixedDecimal(String(value), Math.min(currencyScale(currency), 4));
    }
    case 'quantity':
      return trimDecimal(String(value));
    case 'formula':
      if (field.resultKind === 'integer') return Number(value);
      if (field.resultKind === 'decimal') return trimDecimal(String(value));
      return value;
    default:
      return value;
  }
}

/** A table row as an API record (only the columns present in the row). */
export function rowToRecord(entity: CompiledEntity, row: RecordData): RecordData {
  const out: RecordData = {};
  for (const key of SYSTEM_FIELDS) if (key in row) out[key] = row[key];
  for (const field of entity.columnFields) {
    if (field.name in row) out[field.name] = columnValueOut(field, row[field.name], row, entity);
  }
  for (const field of entity.multiLinkFields) {
    if (field.name in row) out[field.name] = row[field.name] ?? [];
  }
  return out;
}

/** The value bound for a column: JSON columns are serialised, everything else is bound as is. */
export function columnValueIn(field: FieldDef, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (field.kind === 'json') return JSON.stringify(value);
  return value;
}
