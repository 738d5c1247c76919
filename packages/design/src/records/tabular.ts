/**
 * Records as spreadsheet cells, both ways (export and import): column headers, CSV text, and the
 * escaping that keeps a cell from being run as a formula when the file is opened in Excel.
 */
import type { Label, Locale } from '@tenon/core';
import type { CompiledEntity } from '../registry.ts';
import type { FieldDef } from '../types.ts';
import { fieldOrSystem } from './filters.ts';

/** Fields whose values are numbers (never escaped when they are plain numbers such as `-12.50`). */
export function isNumericField(field: FieldDef): boolean {
  if (['integer', 'decimal', 'money', 'quantity'].includes(field.kind)) return true;
  return field.kind === 'formula' && (field.resultKind === 'integer' || field.resultKind === 'decimal');
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Formula injection (OWASP "CSV injection"): a text cell starting with `=`, `+`, `-`, `@`, tab or CR
 * gets a leading `'`, so a spreadsheet shows it instead of evaluating it. A plain number in a numeric
 * column (`-12.50`) stays as it is: evaluated, it is only that number. Leading quotes already there are
 * doubled the same way, so `unescapeCell` gives back exactly what was exported.
 */
export function escapeCell(text: string, numeric: boolean): string {
  if (numeric && PLAIN_NUMBER.test(text)) return text;
  return FORMULA_START.test(text.replace(/^'+/, '')) ? `'${text}` : text;
}

/** The inverse of `escapeCell` (import). */
export function unescapeCell(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.replace(/^'+/, '')) ? text.slice(1) : text;
}

const SYSTEM_LABELS: Record<string, Label> = {
  id: { 'zh-CN': 'ID', en: 'ID' },
  version: { 'zh-CN': '版本', en: 'Version' },
  created_at: { 'zh-CN': '创建时间', en: 'Created at' },
  updated_at: { 'zh-CN': '更新时间', en: 'Updated at' },
  created_by: { 'zh-CN': '创建人', en: 'Created by' },
  updated_by: { 'zh-CN': '更新人', en: 'Updated by' },
};

export function labelOf(label: Label, locale: Locale): string {
  return label[locale] ?? label['zh-CN'] ?? label.en ?? '';
}

/** `客户名称 (customer_name)`: the label in the user's language and the field name import maps by. */
export function columnHeader(entity: CompiledEntity, name: string, locale: Locale): string {
  const field = entity.fields.get(name);
  const label = labelOf(field?.label ?? SYSTEM_LABELS[name] ?? { en: name }, locale);
  return label && label !== name ? `${label} (${name})` : name;
}

/**
 * The field a header names: the field name, `Label (name)`, or a label in either language. Hidden
 * fields are passed in `hidden` and treated as unknown.
 */
export function fieldOfHeader(
  entity: CompiledEntity,
  header: string,
  hidden: ReadonlySet<string>,
): FieldDef | undefined {
  const text = header.trim();
  const known = (name: string) => (hidden.has(name) ? undefined : fieldOrSystem(entity, name));
  const direct = known(text);
  if (direct) return direct;
  const suffix = /\(([a-z][a-z0-9_]*)\)\s*$/.exec(text);
  if (suffix) return known(suffix[1]!);
  const byLabel = entity.def.fields.filter(
    (f) => !hidden.has(f.name) && (f.label['zh-CN'] === text || f.label.en === text),
  );
  return byLabel.length === 1 ? byLabel[0] : undefined;
}

// ---- CSV -------------------------------------------------------------------------------------

/** A UTF-8 byte order mark: Excel then reads the file as UTF-8 (Chinese text intact). */
export const BOM = '\uFEFF';

/** One CSV line (RFC 4180): quoted when needed, CRLF-terminated. */
export function csvLine(cells: string[]): string {
  return `${cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')}\r\n`;
}

/** Parses CSV text (RFC 4180; LF or CRLF; a leading BOM ignored) into rows of cells. */
export function parseCsv(input: string): string[][] {
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else cell += c;
    i++;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
