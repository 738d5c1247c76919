/**
 * The metamodel: entity definitions as JSON-serialisable data. The designer, the meta API and the
 * built-in modules all produce exactly this shape.
 */
import type { Label } from '@tenon/core';

export const FIELD_KINDS = [
  'string',
  'text',
  'integer',
  'decimal',
  'money',
  'quantity',
  'boolean',
  'date',
  'datetime',
  'time',
  'select',
  'link',
  'children',
  'multi_link',
  'json',
  'attachment',
  'formula',
  'sequence',
] as const;

export type FieldKind = (typeof FIELD_KINDS)[number];

export type SelectOption = { value: string; label: Label };

export type FormulaResult = 'string' | 'decimal' | 'integer' | 'boolean' | 'date';

export type SequenceSpec = {
  /** e.g. `ITM-{YYYY}{MM}-{SEQ:4}`, `WO-{field:line}-{SEQ:3}` */
  pattern: string;
  reset?: 'never' | 'yearly' | 'monthly' | 'daily';
};

export type FieldDef = {
  name: string;
  label: Label;
  description?: string;
  kind: FieldKind;
  required?: boolean;
  unique?: boolean;
  index?: boolean;
  default?: unknown;
  /** Bounds: numbers for integer, decimal strings for decimal/money/quantity, `YYYY-MM-DD` for dates. */
  min?: number | string;
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** decimal(precision, scale) */
  precision?: number;
  scale?: number;
  /** money: a fixed ISO 4217 currency, or the name of a field holding it (default: the tenant's). */
  currency?: string;
  currencyField?: string;
  /** quantity: the name of a field holding the unit of measure. */
  uomField?: string;
  options?: SelectOption[];
  /** link / multi_link / children: the target entity. */
  target?: string;
  onDelete?: 'restrict' | 'cascade' | 'set_null';
  /** formula: a CEL expression over the record, and the type of its result. */
  expression?: string;
  resultKind?: FormulaResult;
  sequence?: SequenceSpec;
  /**
   * json fields: a JSON Schema their values must match (validated with the record, shown in OpenAPI
   * and used by the console's client-side validation). At most 20,000 characters.
   */
  jsonSchema?: Record<string, unknown>;
  readOnly?: boolean;
  hidden?: boolean;
  /** Written only by declared actions (e.g. a document's status); read-only to plain CRUD. */
  actionOwned?: boolean;
  /** string/text: stored encrypted (AES-256-GCM), masked for roles without `unmaskedFields`; not filterable or sortable. */
  encrypted?: boolean;
  /** Schema sync only: this field was called `renamedFrom` before (consumed, never stored). */
  renamedFrom?: string;
};

export type IndexDef = { fields: string[]; unique?: boolean };

export type ActionDef = { name: string; label: Label; description?: string };

/**
 * A printable document of a record, served by a module (a packing list, a route sheet): the console
 * shows it on the record page. `path` is an API path with `{id}` for the record's id.
 */
export type DocumentDef = { name: string; label: Label; path: string };

export type EntityDef = {
  name: string;
  label: Label;
  description?: string;
  /** An abstract base has no table; entities that `extends` it inherit its fields. */
  abstract?: boolean;
  extends?: string;
  /** Lines of another entity: saved with their parent through a `children` field. */
  childOf?: string;
  fields: FieldDef[];
  /** Composite unique constraints, by field names. */
  unique?: string[][];
  indexes?: IndexDef[];
  /** The field shown when a record is linked (default: the first string field). */
  titleField?: string;
  actions?: ActionDef[];
  documents?: DocumentDef[];
  /** The module that owns this definition; absent for user-defined entities. */
  module?: string;
};

/** What a user may send: names are optional and derived from the Chinese or English label. */
export type FieldInput = Omit<FieldDef, 'name'> & { name?: string };
export type EntityInput = Omit<EntityDef, 'name' | 'fields'> & { name?: string; fields: FieldInput[] };

/** Columns every entity table has; user fields may not use these names. */
export const SYSTEM_COLUMNS = [
  'id',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
  'version',
] as const;
/** Extra columns of a child (line) table. */
export const CHILD_COLUMNS = ['parent_id', 'parent_field', 'line_no'] as const;

export function defineEntity(def: EntityDef): EntityDef {
  return def;
}
