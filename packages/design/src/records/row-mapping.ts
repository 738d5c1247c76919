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

function trimDecimal(text: string): string {
  return new Decimal(text).toFixed();
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
      return new Decimal(String(value)).toFixed(Math.min(currencyScale(currency), 4));
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
