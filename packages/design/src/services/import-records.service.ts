/**
 * Import: the rows of a CSV or Excel file created as records in one transaction. Each row is checked
 * as a create would be (the validator, the role's writable fields and row condition, then the
 * database itself, row by row under a savepoint) and reported by its row number in the file (the
 * header is row 1). A dry run reports and writes nothing; without `skipInvalid` one bad row imports
 * nothing (422 with every row's errors); with it the valid rows are created, each audited as `import`.
 */
import { AppError, type FieldError, type Locale } from '@tenon/core';
import { isRetryable, sql, type Tx } from '@tenon/db';
import { requireAccess } from '../records/access.ts';
import { type AuditEntry, appendAudit } from '../records/audit.ts';
import type { RecordContext } from '../records/context.ts';
import { translateWriteError } from '../records/db-errors.ts';
import { redactChanges } from '../records/encryption.ts';
import { assertRowAllowed, checkWritableFields } from '../records/enforce.ts';
import {
  CellError,
  cellValue,
  ImportErrors,
  mapColumns,
  readSheet,
  resolveLinks,
} from '../records/import-rows.ts';
import type { RecordData } from '../records/row-mapping.ts';
import type { CompiledEntity } from '../registry.ts';
import { insertRecords } from './create-record.service.ts';

export const MAX_IMPORT_ROWS = 10_000;
const AUDIT_BATCH = 1000;

export type ImportInput = {
  entity: CompiledEntity;
  /** The uploaded file: `.xlsx` (recognised by its content) or CSV (UTF-8, or GB18030 as Excel saves it). */
  file: Buffer;
  dryRun: boolean;
  skipInvalid: boolean;
  maxRows?: number;
};

export type RowErrors = { row: number; errors: FieldError[] };

export type ImportResult = {
  dryRun: boolean;
  /** Data rows in the file (blank rows left out). */
  total: number;
  /** Rows that passed every check (created unless this is a dry run). */
  valid: number;
  created: number;
  /** Invalid rows: skipped with `skipInvalid`, reported by a dry run. */
  invalid: RowErrors[];
  /** Columns left aside: ids, timestamps and computed fields (as in an export). */
  ignoredColumns: string[];
  /** Ids of the created records, in file order. */
  ids: string[];
};

type ParsedRow = { row: number; record: RecordData; errors: FieldError[] };

class Rollback extends Error {
  constructor(readonly result: ImportResult) {
    super('import rolled back');
  }
}

function rowErrors(err: AppError, locale: Locale): FieldError[] {
  return err.details.length > 0
    ? err.details
    : [{ field: '', code: err.code, message: err.localizedMessage(locale) }];
}

export async function importRecords(ctx: RecordContext, input: ImportInput): Promise<ImportResult> {
  const { entity } = input;
  const name = entity.def.name;
  requireAccess(ctx.access, name, 'import');
  const decision = requireAccess(ctx.access, name, 'create');
  const sheet = await readSheet(input.file, input.maxRows ?? MAX_IMPORT_ROWS);
  const columns = mapColumns(entity, sheet.header, decision.hiddenFields);
  const mapped = columns.fields.filter((f) => f !== null);
  // A column the role may not write refuses the whole file, as a create with that field would.
  checkWritableFields(decision, entity, Object.fromEntries(mapped.map((f) => [f.name, null])));

  const parsed: ParsedRow[] = sheet.rows.map(({ row, cells }) => {
    const record: RecordData = {};
    const errors: FieldError[] = [];
    columns.fields.forEach((field, i) => {
      if (!field) return;
      try {
        const value = cellValue(field, cells[i] ?? null);
        if (value !== undefined) record[field.name] = value;
      } catch (err) {
        if (!(err instanceof CellError)) throw err;
        errors.push({ field: field.name, code: 'invalid', message: err.message });
      }
    });
    return { row, record, errors };
  });
  for (const field of mapped) {
    if (field.kind === 'link' || field.kind === 'multi_link') await resolveLinks(ctx, field, parsed);
  }
  for (const p of parsed) {
    const failed = new Set(p.errors.map((e) => e.field));
    for (const e of entity.validateCreate(p.record, ctx.locale)) if (!failed.has(e.field)) p.errors.push(e);
  }

  const run = async (tx: Tx): Promise<ImportResult> => {
    const invalid: RowErrors[] = parsed.filter((p) => p.errors.length > 0).map((p) => ({ ...p }));
    const created: RecordData[] = [];
    for (const p of parsed) {
      if (p.errors.length > 0) continue;
      await tx.run(sql`SAVEPOINT tenon_import_row`);
      try {
        const [record] = await insertRecords(tx, ctx, entity, [structuredClone(p.record)]);
        await assertRowAllowed(tx, ctx.metamodel, entity, record!.id as string, decision);
        await tx.run(sql`RELEASE SAVEPOINT tenon_import_row`);
        created.push(record!);
      } catch (raw) {
        const err = translateWriteError(raw, entity, 'write');
        if (!(err instanceof AppError) || isRetryable(raw)) throw err;
        await tx.run(sql`ROLLBACK TO SAVEPOINT tenon_import_row`);
        invalid.push({ row: p.row, errors: rowErrors(err, ctx.locale) });
      }
    }
    invalid.sort((a, b) => a.row - b.row);
    const keep = !input.dryRun && (invalid.length === 0 || input.skipInvalid);
    const result: ImportResult = {
      dryRun: input.dryRun,
      total: parsed.length,
      valid: created.length,
      created: keep ? created.length : 0,
      invalid: invalid.map(({ row, errors }) => ({ row, errors })),
      ignoredColumns: columns.ignored,
      ids: keep ? created.map((r) => r.id as string) : [],
    };
    if (!keep) throw new Rollback(result);
    const entries: AuditEntry[] = created.map((r) => ({
      action: 'import',
      entity: name,
      recordId: r.id as string,
      changes: redactChanges(ctx.metamodel, entity, { after: r }),
    }));
    for (let i = 0; i < entries.length; i += AUDIT_BATCH)
      await appendAudit(
        tx,
        entity.tenant.schemaName,
        ctx.actor,
        entries.slice(i, i + AUDIT_BATCH),
        ctx.cause,
      );
    return result;
  };

  let result: ImportResult;
  try {
    result = await ctx.db.transaction(run);
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
    result = err.result;
  }
  if (!input.dryRun && !input.skipInvalid && result.invalid.length > 0) {
    const details = result.invalid.flatMap(({ row, errors }) =>
      errors.map((e) => ({ ...e, field: e.field ? `rows.${row}.${e.field}` : `rows.${row}` })),
    );
    throw new AppError(ImportErrors.IMPORT_ROWS_INVALID, { count: result.invalid.length }, details);
  }
  return result;
}
