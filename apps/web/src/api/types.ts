/** The shapes of the metamodel as the meta API returns them (see docs/metamodel.md). */
export type Label = { 'zh-CN'?: string; en?: string };

export type FieldKind =
  | 'string'
  | 'text'
  | 'integer'
  | 'decimal'
  | 'money'
  | 'quantity'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'time'
  | 'select'
  | 'link'
  | 'children'
  | 'multi_link'
  | 'json'
  | 'attachment'
  | 'formula'
  | 'sequence';

export const FIELD_KINDS: FieldKind[] = [
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
];

export type FieldDef = {
  name: string;
  label: Label;
  kind: FieldKind;
  required?: boolean;
  unique?: boolean;
  min?: number | string;
  max?: number | string;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  precision?: number;
  scale?: number;
  currency?: string;
  currencyField?: string;
  uomField?: string;
  options?: { value: string; label: Label }[];
  target?: string;
  expression?: string;
  resultKind?: string;
  sequence?: { pattern: string; reset?: string };
  readOnly?: boolean;
  hidden?: boolean;
  actionOwned?: boolean;
};

export type EntityDef = {
  name: string;
  label: Label;
  description?: string;
  childOf?: string;
  titleField?: string;
  fields: FieldDef[];
  /** Declared lifecycle actions (submit, confirm, cancel, ...), run by the entity's module. */
  actions?: { name: string; label: Label }[];
  /** Printable documents a module serves for a record (`path` has `{id}`). */
  documents?: { name: string; label: Label; path: string }[];
  version?: number;
  source?: string;
};

export type RecordData = Record<string, unknown> & { id?: string; version?: number };

/** The label in the current language, falling back to the other one, then to the name. */
export function labelOf(label: Label | undefined, lang: string, fallback = ''): string {
  if (!label) return fallback;
  const en = lang.startsWith('en');
  return (en ? (label.en ?? label['zh-CN']) : (label['zh-CN'] ?? label.en)) ?? fallback;
}
