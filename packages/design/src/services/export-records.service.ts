/**
 * Export: every record a list query matches, as CSV (UTF-8 with BOM) or Excel, read in keyset pages
 * of 500 and streamed. Needs the `export` permission; what the user may read decides the rest (rows,
 * hidden fields, masked encrypted fields), narrowed further by the export permission's own condition.
 */
import { PassThrough, Readable } from 'node:stream';
import { AppError, defineErrors } from '@tenon/core';

import { type AccessDecision, type AccessPolicy, requireAccess } from '../records/access.ts';
import { appendAudit } from '../records/audit.ts';
import type { RecordContext } from '../records/context.ts';
import { fieldOrSystem } from '../records/filters.ts';
import { type ListQuery, listRecords } from '../records/read-records.ts';
import { RecordErrors } from '../records/record-errors.ts';
import type { RecordData } from '../records/row-mapping.ts';
import { BOM, columnHeader, csvLine, escapeCell, isNumericField } from '../records/tabular.ts';
import { type CompiledEntity, DEFAULT_TIME_ZONE } from '../registry.ts';
import type { FieldDef } from '../types.ts';

export const ExportErrors = defineErrors({
  EXPORT_TOO_MANY_ROWS: {
    status: 400,
    'zh-CN': '导出最多 {limit} 行，当前条件匹配 {total} 行：请缩小筛选范围',
    en: 'An export holds at most {limit} rows and this query matches {total}: narrow the filter',
  },
});

export type ExportFormat = 'csv' | 'xlsx';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];
export const EXPORT_PAGE_SIZE = 500;
export const MAX_EXPORT_ROWS = 100_000;

export type ExportInput = {
  entity: CompiledEntity;
  /** A parsed list query: its filter, sort and fields are used; paging is the export's own. */
  query: ListQuery;
  format: ExportFormat;
  maxRows?: number;
};

export type ExportResult = {
  filename: string;
  contentType: string;
  rows: number;
  body: Readable;
};

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The read decision for the exported entity, narrowed by the export permission (rows, fields, masks). */
function exportPolicy(access: AccessPolicy, entity: string, exporting: AccessDecision): AccessPolicy {
  return {
    decide(name, action) {
      const inner = access.decide(name, action);
      if (name !== entity || action !== 'read') return inner;
      const rows = [inner.rowFilter, exporting.rowFilter].filter((f) => f !== null);
      return {
        ...inner,
        rowFilter: rows.length === 0 ? null : rows.length === 1 ? rows[0]! : { and: rows },
        hiddenFields: new Set([...inner.hiddenFields, ...exporting.hiddenFields]),
        unmaskedFields: new Set(
          [...inner.unmaskedFields].filter(
            (f) => exporting.unmaskedFields.has(f) || exporting.unmaskedFields.has('*'),
          ),
        ),
      };
    },
  };
}

/** The exported columns: as asked (`fields`), or id, every readable field but lines, and the timestamps. */
function columnsOf(entity: CompiledEntity, query: ListQuery, hidden: ReadonlySet<string>): FieldDef[] {
  if (query.fields) {
    return query.fields.map((name) => {
      const field = fieldOrSystem(entity, name)!;
      if (field.kind === 'children')
        throw new AppError(RecordErrors.QUERY_INVALID, { reason: `lines (${name}) are not exported` });
      return field;
    });
  }
  const names = [
    'id',
    ...entity.def.fields.filter((f) => f.kind !== 'children' && !hidden.has(f.name)).map((f) => f.name),
    'created_at',
    'updated_at',
  ];
  return names.map((name) => fieldOrSystem(entity, name)!);
}

/** A linked record's title (or its id when the user may not read it). */
function linkText(ctx: RecordContext, field: FieldDef, value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  const target = ctx.metamodel.find(field.target!);
  const linked = value as RecordData;
  const title = target?.titleField ? linked[target.titleField] : undefined;
  return title === undefined || title === null ? String(linked.id) : String(title);
}

/** A cell's value: text for CSV; for Excel, integers and booleans typed, everything else exact text. */
function cellOf(
  ctx: RecordContext,
  field: FieldDef,
  value: unknown,
  excel: boolean,
): string | number | boolean | null {
  if (value === null || value === undefined) return excel ? null : '';
  if (excel && (typeof value === 'boolean' || (typeof value === 'number' && Number.isSafeInteger(value))))
    return value;
  let text: string;
  if (field.kind === 'link') text = linkText(ctx, field, value);
  else if (field.kind === 'multi_link')
    text = (value as unknown[]).map((v) => linkText(ctx, field, v)).join(', ');
  else if (field.kind === 'json') text = JSON.stringify(value);
  else text = String(value);
  return escapeCell(text, isNumericField(field));
}

async function* pages(
  ctx: RecordContext,
  entity: CompiledEntity,
  query: ListQuery,
  access: AccessPolicy,
  first: { items: RecordData[]; nextCursor: string | null },
): AsyncGenerator<RecordData[]> {
  let page = first;
  yield page.items;
  while (page.nextCursor) {
    page = await listRecords(ctx.db, ctx.metamodel, entity, { ...query, cursor: page.nextCursor }, access);
    yield page.items;
  }
}

function today(entity: CompiledEntity, ctx: RecordContext): string {
  const timeZone = entity.tenant.settings.timeZone ?? DEFAULT_TIME_ZONE;
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(ctx.clock.now());
}

export async function exportRecords(ctx: RecordContext, input: ExportInput): Promise<ExportResult> {
  const { entity, format } = input;
  const name = entity.def.name;
  const exporting = requireAccess(ctx.access, name, 'export');
  const access = exportPolicy(ctx.access, name, exporting);
  const read = requireAccess(access, name, 'read');
  const columns = columnsOf(entity, input.query, read.hiddenFields);
  // Links show their title (system columns are described as fields too: `id` is no link to expand).
  const links = columns
    .filter((f) => (f.kind === 'link' || f.kind === 'multi_link') && entity.fields.get(f.name) === f)
    .map((f) => f.name);
  const query: ListQuery = {
    ...input.query,
    fields: columns.map((f) => f.name),
    expand: links,
    page: 1,
    pageSize: EXPORT_PAGE_SIZE,
    cursor: null,
    withTotal: true,
  };
  const first = await listRecords(ctx.db, ctx.metamodel, entity, query, access);
  const limit = input.maxRows ?? MAX_EXPORT_ROWS;
  const total = first.total ?? 0;
  if (total > limit) throw new AppError(ExportErrors.EXPORT_TOO_MANY_ROWS, { limit, total });
  await appendAudit(
    ctx.db,
    entity.tenant.schemaName,
    ctx.actor,
    [{ action: 'export', entity: name, recordId: null, changes: { after: { format, rows: total } } }],
    ctx.cause,
  );

  const header = columns.map((f) => escapeCell(columnHeader(entity, f.name, ctx.locale), false));
  const rows = pages(ctx, entity, { ...query, withTotal: false }, access, first);
  const cells = (record: RecordData, excel: boolean) =>
    columns.map((f) => cellOf(ctx, f, record[f.name], excel));
  const body = format === 'csv' ? csvStream(header, rows, cells) : xlsxStream(name, header, rows, cells);
  return {
    filename: `${name}-${today(entity, ctx)}.${format}`,
    contentType: CONTENT_TYPES[format],
    rows: total,
    body,
  };
}

type Cells = (record: RecordData, excel: boolean) => (string | number | boolean | null)[];

function csvStream(header: string[], rows: AsyncGenerator<RecordData[]>, cells: Cells): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield BOM + csvLine(header);
    for await (const page of rows) yield page.map((r) => csvLine(cells(r, false) as string[])).join('');
  }
  return Readable.from(lines());
}

function xlsxStream(
  sheet: string,
  header: string[],
  rows: AsyncGenerator<RecordData[]>,
  cells: Cells,
): Readable {
  const out = new PassThrough();
  void (async () => {
    // Loaded on the first Excel export: a large package most processes never need.
    const { default: Excel } = await import('exceljs');
    const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false });
    const worksheet = workbook.addWorksheet(sheet.slice(0, 31));
    worksheet.addRow(header).commit();
    for await (const page of rows) for (const r of page) worksheet.addRow(cells(r, true)).commit();
    worksheet.commit();
    await workbook.commit();
  })().catch((err: unknown) => out.destroy(err as Error));
  return out;
}
