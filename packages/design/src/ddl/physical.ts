/**
 * The physical model: which tables, columns, indexes and join tables a resolved definition needs.
 * Pure; the DDL diff compares two of these.
 */
import { createHash } from 'node:crypto';
import type { EntityDef, FieldDef } from '../types.ts';

export type ColumnType =
  | { base: 'varchar'; length: number }
  | { base: 'numeric'; precision: number; scale: number }
  | { base: 'text' | 'integer' | 'bigint' | 'boolean' | 'date' | 'timestamptz' | 'time' | 'uuid' | 'jsonb' };

export type ForeignKey = { table: string; column: string; onDelete: 'restrict' | 'cascade' | 'set_null' };

export type ColumnModel = {
  name: string;
  type: ColumnType;
  notNull: boolean;
  references?: ForeignKey;
  /** System columns only: a SQL default such as now(). */
  systemDefault?: 'now' | 'one';
  /** The field's default, used to fill existing rows when a required column is added. */
  backfill?: unknown;
};

export type IndexModel = { name: string; columns: string[]; unique: boolean };

export type JoinTableModel = { name: string; sourceTable: string; targetTable: string };

export type TableModel = {
  name: string;
  columns: ColumnModel[];
  indexes: IndexModel[];
  joinTables: JoinTableModel[];
};

/** PostgreSQL identifiers stop at 63 bytes: long derived names get a stable hash suffix. */
export function shortName(full: string): string {
  if (full.length <= 63) return full;
  const hash = createHash('sha1').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 54)}_${hash}`;
}

export const MONEY_TYPE: ColumnType = { base: 'numeric', precision: 19, scale: 4 };
export const QUANTITY_TYPE: ColumnType = { base: 'numeric', precision: 20, scale: 6 };
export const DEFAULT_STRING_LENGTH = 255;

/** The column type of a field, or null when the field has no column of its own. */
export function columnTypeOf(field: FieldDef): ColumnType | null {
  // Ciphertext is longer than the plaintext: the length is checked on the value, not the column.
  if (field.encrypted) return { base: 'text' };
  switch (field.kind) {
    case 'string':
      return { base: 'varchar', length: field.maxLength ?? DEFAULT_STRING_LENGTH };
    case 'text':
    case 'select':
      return { base: 'text' };
    case 'integer':
      return { base: 'bigint' };
    case 'decimal':
      return { base: 'numeric', precision: field.precision ?? 18, scale: field.scale ?? 6 };
    case 'money':
      return MONEY_TYPE;
    case 'quantity':
      return QUANTITY_TYPE;
    case 'boolean':
      return { base: 'boolean' };
    case 'date':
      return { base: 'date' };
    case 'datetime':
      return { base: 'timestamptz' };
    case 'time':
      return { base: 'time' };
    case 'link':
    case 'attachment':
      return { base: 'uuid' };
    case 'json':
      return { base: 'jsonb' };
    case 'sequence':
      return { base: 'varchar', length: 64 };
    case 'formula':
      switch (field.resultKind ?? 'string') {
        case 'decimal':
          return { base: 'numeric', precision: 38, scale: 10 };
        case 'integer':
          return { base: 'bigint' };
        case 'boolean':
          return { base: 'boolean' };
        case 'date':
          return { base: 'date' };
        default:
          return { base: 'text' };
      }
    case 'children':
    case 'multi_link':
      return null;
  }
}

export function renderColumnType(type: ColumnType): string {
  switch (type.base) {
    case 'varchar':
      return `varchar(${type.length})`;
    case 'numeric':
      return `numeric(${type.precision},${type.scale})`;
    case 'timestamptz':
      // Milliseconds, as the API shows them: a returned instant filters and pages exactly.
      return 'timestamptz(3)';
    default:
      return type.base;
  }
}

export function joinTableName(entity: string, field: string): string {
  return shortName(`${entity}__${field}`);
}

/** The table a resolved (inheritance already applied), concrete entity needs. */
export function tableModelOf(entity: EntityDef): TableModel {
  const columns: ColumnModel[] = [
    { name: 'id', type: { base: 'uuid' }, notNull: true },
    { name: 'created_at', type: { base: 'timestamptz' }, notNull: true, systemDefault: 'now' },
    { name: 'updated_at', type: { base: 'timestamptz' }, notNull: true, systemDefault: 'now' },
    { name: 'created_by', type: { base: 'text' }, notNull: false },
    { name: 'updated_by', type: { base: 'text' }, notNull: false },
    { name: 'version', type: { base: 'integer' }, notNull: true, systemDefault: 'one' },
  ];
  const indexes: IndexModel[] = [];
  const joinTables: JoinTableModel[] = [];
  const index = (cols: string[], unique: boolean) => {
    const name = shortName(`${unique ? 'ux' : 'ix'}_${entity.name}_${cols.join('_')}`);
    if (!indexes.some((i) => i.name === name)) indexes.push({ name, columns: cols, unique });
  };

  if (entity.childOf) {
    columns.push(
      {
        name: 'parent_id',
        type: { base: 'uuid' },
        notNull: true,
        references: { table: entity.childOf, column: 'id', onDelete: 'cascade' },
      },
      { name: 'parent_field', type: { base: 'text' }, notNull: true },
      { name: 'line_no', type: { base: 'integer' }, notNull: true },
    );
    index(['parent_id', 'line_no'], false);
  }

  for (const field of entity.fields) {
    if (field.kind === 'multi_link') {
      joinTables.push({
        name: joinTableName(entity.name, field.name),
        sourceTable: entity.name,
        targetTable: field.target!,
      });
      continue;
    }
    const type = columnTypeOf(field);
    if (!type) continue;
    const column: ColumnModel = {
      name: field.name,
      type,
      notNull: Boolean(field.required) || field.kind === 'sequence',
    };
    // `$user` names whoever writes a record: existing rows have no such value to fill in.
    if (field.default !== undefined && field.default !== null && field.default !== '$user')
      column.backfill = field.default;
    if (field.kind === 'link') {
      column.references = { table: field.target!, column: 'id', onDelete: field.onDelete ?? 'restrict' };
      if (column.references.onDelete === 'set_null') column.notNull = false;
    }
    if (field.kind === 'attachment') {
      column.references = { table: '_file', column: 'id', onDelete: 'restrict' };
    }
    columns.push(column);
    if (field.unique || field.kind === 'sequence') index([field.name], true);
    else if (field.index || field.kind === 'link' || field.kind === 'attachment') index([field.name], false);
  }
  for (const fields of entity.unique ?? []) index(fields, true);
  for (const extra of entity.indexes ?? []) index(extra.fields, Boolean(extra.unique));
  return { name: entity.name, columns, indexes, joinTables };
}
