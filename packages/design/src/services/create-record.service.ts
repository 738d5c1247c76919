/** Create: validate, fill defaults, formulas and numbers, insert the record with its lines and links. */
import { validationError } from '@tenon/core';
import type { Executor } from '@tenon/db';
import type { RecordContext } from '../records/context.ts';
import { translateWriteError } from '../records/db-errors.ts';
import { allocateSequences, applyDefaults, computeFormulas } from '../records/prepare-write.ts';
import { type RecordData, rowToRecord } from '../records/row-mapping.ts';
import { insertRows, replaceLinks } from '../records/write-rows.ts';
import type { CompiledEntity } from '../registry.ts';

async function prepare(
  tx: Executor,
  ctx: RecordContext,
  entity: CompiledEntity,
  record: RecordData,
): Promise<void> {
  applyDefaults(entity, record, ctx);
  computeFormulas(entity, record);
  await allocateSequences(tx, entity, record, ctx);
}

/** Inserts records of one entity (and their lines, recursively) inside an open transaction. */
export async function insertRecords(
  tx: Executor,
  ctx: RecordContext,
  entity: CompiledEntity,
  records: RecordData[],
  parent?: { id: string; field: string; firstLineNo?: number },
): Promise<RecordData[]> {
  for (const record of records) await prepare(tx, ctx, entity, record);
  let rows: RecordData[];
  try {
    rows = await insertRows(tx, entity, records, ctx.user, parent);
  } catch (err) {
    throw translateWriteError(err, entity, 'write');
  }
  const out = rows.map((row) => rowToRecord(entity, row));
  for (const [i, record] of records.entries()) {
    for (const field of entity.childFields) {
      const lines = (record[field.name] as RecordData[] | undefined) ?? [];
      const child = ctx.metamodel.get(field.target!);
      out[i]![field.name] = await insertRecords(tx, ctx, child, lines, {
        id: out[i]!.id as string,
        field: field.name,
      });
    }
    for (const field of entity.multiLinkFields) {
      const ids = (record[field.name] as string[] | undefined) ?? [];
      try {
        await replaceLinks(tx, entity, field, out[i]!.id as string, ids, true);
      } catch (err) {
        throw translateWriteError(err, entity, 'write');
      }
      out[i]![field.name] = [...ids].sort();
    }
  }
  return out;
}

export async function createRecordIn(
  tx: Executor,
  ctx: RecordContext,
  entity: CompiledEntity,
  input: unknown,
): Promise<RecordData> {
  const errors = entity.validateCreate(input, ctx.locale);
  if (errors.length > 0) throw validationError(errors);
  const [created] = await insertRecords(tx, ctx, entity, [structuredClone(input) as RecordData]);
  return created!;
}

export function createRecord(
  ctx: RecordContext,
  entity: CompiledEntity,
  input: unknown,
): Promise<RecordData> {
  const errors = entity.validateCreate(input, ctx.locale);
  if (errors.length > 0) return Promise.reject(validationError(errors));
  return ctx.db.transaction((tx) => createRecordIn(tx, ctx, entity, input));
}
