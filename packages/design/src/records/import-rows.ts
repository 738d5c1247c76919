/**
 * Import, reading side: an uploaded CSV or Excel file to header + rows, columns mapped to fields,
 * and cells converted to record values (select labels, booleans, Excel dates, links by title).
 */
import { AppError, defineErrors, type FieldError, isUuid, type Locale } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import type ExcelJS from 'exceljs';
import type { CompiledEntity, TenantMetamodel } from '../registry.ts';
import type { FieldDef } from '../types.ts';
import type { AccessPolicy } from './access.ts';
import { filterSql } from './filters.ts';
import type { RecordData } from './row-mapping.ts';
import { fieldOfHeader, parseCsv, unescapeCell } from './tabular.ts';

export const ImportErrors = defineErrors({
  IMPORT_FILE_INVALID: {
    status: 400,
    'zh-CN': '导入文件无法读取：{reason}',
    en: 'The import file cannot be read: {reason}',
  },
  IMPORT_COLUMNS_INVALID: {
    status: 400,
    'zh-CN': '导入文件的列无法对应到 {entity} 的字段',
    en: 'Some columns of the import file match no field of {entity}',
  },
  IMPORT_TOO_MANY_ROWS: {
    status: 400,
    'zh-CN': '一次最多导入 {limit} 行（文件有 {rows} 行）',
    en: 'At most {limit} rows can be imported at once (the file has {rows})',
  },
  IMPORT_ROWS_INVALID: {
    status: 422,
    'zh-CN': '{count} 行数据无效，未导入任何数据',
    en: '{count} rows are invalid; nothing was imported',
  },
});

export type Cell = string | number | boolean | Date | null;
export type Sheet = { header: string[]; rows: { row: number; cells: Cell[] }[] };

const XLSX_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const fileError = (reason: string) => new AppError(ImportErrors.IMPORT_FILE_INVALID, { reason });

/** UTF-8 (with or without BOM); otherwise GB18030, which Excel in Chinese uses for "CSV". */
function decodeText(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('gb18030').decode(buffer);
  }
}

function excelCell(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || value instanceof Date) return value as Cell;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value)
    return excelCell((value.result ?? null) as ExcelJS.CellValue);
  if ('hyperlink' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return String(value);
}

async function readExcel(buffer: Buffer): Promise<Cell[][]> {
  // Loaded when a workbook is read: a large package most processes never need.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (err) {
    throw fileError(`not a valid .xlsx workbook (${(err as Error).message})`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw fileError('the workbook has no sheet');
  const out: Cell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    out[n - 1] = values.map((v) => excelCell(v));
  });
  return Array.from(out, (r) => r ?? []);
}

/** The sheet of an uploaded file (`.xlsx` by its content, otherwise CSV); blank rows left out. */
export async function readSheet(buffer: Buffer, maxRows: number): Promise<Sheet> {
  const isExcel = buffer.subarray(0, 4).equals(XLSX_MAGIC);
  const table: Cell[][] = isExcel ? await readExcel(buffer) : parseCsv(decodeText(buffer));
  const [first, ...rest] = table;
  if (!first || first.every((c) => c === null || String(c).trim() === ''))
    throw fileError('the first row must name the columns');
  const rows = rest
    .map((cells, i) => ({ row: i + 2, cells }))
    .filter((r) => r.cells.some((c) => c !== null && String(c).trim() !== ''));
  if (rows.length > maxRows)
    throw new AppError(ImportErrors.IMPORT_TOO_MANY_ROWS, { limit: maxRows, rows: rows.length });
  return { header: first.map((c) => (c === null ? '' : String(c))), rows };
}

/** Fields no one writes through create: computed, numbered, read-only or owned by actions. */
const isComputed = (field: FieldDef) =>
  field.kind === 'formula' ||
  field.kind === 'sequence' ||
  field.readOnly === true ||
  field.actionOwned === true;

export type ColumnMap = { fields: (FieldDef | null)[]; ignored: string[] };

/** Maps headers to fields: unknown, duplicate, lines and blank headers are a 400 listing them. */
export function mapColumns(entity: CompiledEntity, header: string[], hidden: ReadonlySet<string>): ColumnMap {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const ignored: string[] = [];
  const fields = header.map((h, i) => {
    const field = h.trim() === '' ? undefined : fieldOfHeader(entity, h, hidden);
    const at = h.trim() || `column ${i + 1}`;
    if (!field) {
      errors.push({ field: at, code: 'unknown_column', message: 'matches no field (use the field name)' });
      return null;
    }
    // System columns (id, timestamps) and computed fields: an export's extra columns, left aside.
    if (entity.fields.get(field.name) !== field || isComputed(field)) {
      ignored.push(h);
      return null;
    }
    if (field.kind === 'children') {
      errors.push({ field: at, code: 'not_importable', message: 'lines cannot be imported' });
      return null;
    }
    if (seen.has(field.name))
      errors.push({ field: at, code: 'duplicate_column', message: `${field.name} is given twice` });
    seen.add(field.name);
    return field;
  });
  if (errors.length > 0)
    throw new AppError(ImportErrors.IMPORT_COLUMNS_INVALID, { entity: entity.def.name }, errors);
  return { fields, ignored };
}

const TRUE = new Set(['true', '1', 'yes', 'y', '是', '√']);
const FALSE = new Set(['false', '0', 'no', 'n', '否', '×']);

/** Excel dates are UTC instants: a date, time or instant as the API writes them. */
function fromDate(kind: string, d: Date): string {
  const iso = d.toISOString();
  if (kind === 'date') return iso.slice(0, 10);
  if (kind === 'time') return iso.slice(11, 19);
  return iso;
}

export class CellError extends Error {}

/**
 * A cell as the value the create validator checks; `undefined` = left out. A value that does not
 * convert stays as it is, for the validator to explain; only JSON that does not parse throws CellError.
 */
export function cellValue(field: FieldDef, cell: Cell): unknown {
  if (cell === null) return undefined;
  if (cell instanceof Date) return fromDate(field.kind, cell);
  if (typeof cell === 'boolean') return field.kind === 'boolean' ? cell : String(cell);
  if (typeof cell === 'number') {
    if (field.kind === 'integer') return cell;
    if (field.kind === 'boolean' && (cell === 0 || cell === 1)) return cell === 1;
    return String(cell);
  }
  const raw = unescapeCell(cell);
  const text = field.kind === 'text' ? raw : raw.trim();
  if (text === '') return undefined;
  switch (field.kind) {
    case 'integer':
      return /^[+-]?\d{1,16}$/.test(text) ? Number(text) : text;
    case 'boolean': {
      const t = text.toLowerCase();
      return TRUE.has(t) ? true : FALSE.has(t) ? false : text;
    }
    case 'select': {
      const option = (field.options ?? []).find(
        (o) => o.value === text || o.label['zh-CN'] === text || o.label.en === text,
      );
      return option ? option.value : text;
    }
    case 'multi_link':
      return text
        .split(/[,，;；\n]/)
        .map((s) => s.trim())
        .filter(Boolean);
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        throw new CellError('not valid JSON');
      }
    default:
      return text;
  }
}

/** Link and multi-link values given by title: replaced by ids, or errors at `<field>`. */
export async function resolveLinks(
  input: { db: Executor; metamodel: TenantMetamodel; access: AccessPolicy; locale: Locale },
  field: FieldDef,
  records: { record: RecordData; errors: FieldError[] }[],
): Promise<void> {
  const titlesOf = (v: unknown): string[] =>
    (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
      (x): x is string => typeof x === 'string' && !isUuid(x),
    );
  const wanted = [...new Set(records.flatMap((r) => titlesOf(r.record[field.name])))];
  if (wanted.length === 0) return;
  const target = input.metamodel.get(field.target!);
  const decision = input.access.decide(target.def.name, 'read');
  const ids = new Map<string, string[]>();
  if (decision.allowed && target.titleField && !decision.hiddenFields.has(target.titleField)) {
    const title = sql.id('t', target.titleField);
    for (let i = 0; i < wanted.length; i += 1000) {
      const { rows } = await input.db.run<{ id: string; title: string }>(sql`
        SELECT t.id, ${title}::text AS title FROM ${sql.id(target.tenant.schemaName, target.def.name)} AS t
        WHERE ${title}::text IN (${sql.join(wanted.slice(i, i + 1000))})
          AND ${filterSql(input.metamodel, target, 't', decision.rowFilter)}`);
      for (const r of rows) ids.set(r.title, [...(ids.get(r.title) ?? []), r.id]);
    }
  }
  const en = input.locale === 'en';
  for (const r of records) {
    const value = r.record[field.name];
    if (value === undefined) continue;
    const resolve = (v: string): string | null => {
      if (isUuid(v)) return v;
      const found = ids.get(v) ?? [];
      if (found.length === 1) return found[0]!;
      r.errors.push({
        field: field.name,
        code: found.length === 0 ? 'reference_not_found' : 'ambiguous_reference',
        message:
          found.length === 0
            ? en
              ? `no ${target.def.name} titled "${v}"`
              : `找不到名称为“${v}”的 ${target.def.name}`
            : en
              ? `several ${target.def.name} records are titled "${v}": give the id`
              : `有多个名称为“${v}”的 ${target.def.name}：请填写 ID`,
      });
      return null;
    };
    r.record[field.name] = Array.isArray(value)
      ? value.map((v) => resolve(String(v)))
      : resolve(String(value));
  }
}
