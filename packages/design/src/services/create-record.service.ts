/** Create: check access, validate, fill defaults, formulas and numbers, insert with lines and links, audit. */
import { validationError } from '@tenon/core';
import type { Executor } from '@tenon/db';
import { requireAccess } from '../records/access.ts';
import { appendAudit } from '../records/audit.ts';
import { actorStamp, type RecordContext } from '../records/context.ts';
import { createStatement, singleStatementCreate } from '../records/create-statement.ts';
import { translateWriteError } from '../records/db-errors.ts';
import { redactChanges } from '../records/encryption.ts';
import { assertRowAllowed, checkWritableFields, writeResponse } from '../records/enforce.ts';
import { allocateSequences, applyDefaults, computeFormulas } from '../records/prepare-write.ts';
import { type RecordData, rowToRecord } from '../records/row-mapping.ts';
import { insertRows, replaceLinks } from '../records/write-rows.ts';
import type { CompiledEntity } from '../registry.ts';

/** Inserts records of one entity (and their lines, recursively) inside an open transaction; no access check. */
export async function insertRecords(
  tx: Executor,
  ctx: RecordContext,
  entity: CompiledEntity,
  records: RecordData[],
  parent?: { id: string; field: string; firstLineNo?: number },
): Promise<RecordData[]> {
  for (const record of records) {
    applyDefaults(entity, record, ctx);
    computeFormulas(entity, record);
    await allocateSequences(tx, entity, record, ctx);
  }
  let rows: RecordData[];
  try {
    rows = await insertRows(tx, entity, records, actorStamp(ctx.actor), parent);
  } catch (err) {
    throw translateWriteError(err, entity, 'write');
  }
  const out = rows.map((row) => rowToRecord(entity, row));
  for (const [i, record] of records.entries()) {
    const id = out[i]!.id as string;
    for (const field of entity.childFields) {
      const lines = (record[field.name] as RecordData[] | undefined) ?? [];
      out[i]![field.name] = await insertRecords(tx, ctx, ctx.metamodel.get(field.target!), lines, {
        id,
        field: field.name,
      });
    }
    for (const field of entity.multiLinkFields) {
      const ids = (record[field.name] as string[] | undefined) ?? [];
      try {
        await replaceLinks(tx, entity, field, id, ids, true);
      } catch (err) {
        throw translateWriteError(err, entity, 'write');
      }
      out[i]![field.name] = [...ids].sort();
    }
  }
  return out;
}

function checked(ctx: RecordContext, entity: CompiledEntity, input: unknown): RecordData {
  const decision = requireAccess(ctx.access, entity.def.name, 'create');
  const errors = entity.validateCreate(input, ctx.locale);
  if (errors.length > 0) throw validationError(errors);
  checkWritableFields(decision, entity, input as RecordData, {
    access: ctx.access,
    metamodel: ctx.metamodel,
    action: 'create',
  });
  return structuredClone(input) as RecordData;
}

/** The one-statement create (decision 0050): counters, row, audit, outbox and wake-up together. */
async function insertInOneStatement(
  db: Executor,
  ctx: RecordContext,
  entity: CompiledEntity,
  record: RecordData,
): Promise<RecordData> {
  applyDefaults(entity, record, ctx);
  computeFormulas(entity, record);
  const statement = createStatement(ctx, entity, record);
  try {
    const { rows } = await db.run<RecordData>(statement);
    return writeResponse(ctx.access, ctx.metamodel, entity, rowToRecord(entity, rows[0]!));
  } catch (err) {
    throw translateWriteError(err, entity, 'write');
  }
}

async function insertChecked(
  tx: Executor,
  ctx: RecordContext,
  entity: CompiledEntity,
  record: RecordData,
): Promise<RecordData> {
  const decision = ctx.access.decide(entity.def.name, 'create');
  if (singleStatementCreate(entity, decision)) return insertInOneStatement(tx, ctx, entity, record);
  const [created] = await insertRecords(tx, ctx, entity, [record]);
  await assertRowAllowed(tx, ctx.metamodel, entity, created!.id as string, decision);
  await appendAudit(
    tx,
    entity.tenant.schemaName,
    ctx.actor,
    [
      {
        action: 'create',
        entity: entity.def.name,
        recordId: created!.id as string,
        changes: redactChanges(ctx.metamodel, entity, { after: created! }),
      },
    ],
    ctx.cause,
  );
  return writeResponse(ctx.access, ctx.metamodel, entity, created!);
}

/** Creates one record inside an open transaction (for services composing larger operations). */
export function createRecordIn(
  tx: Executor,
  ctx: RecordContext,
  entity: CompiledEntity,
  input: unknown,
): Promise<RecordData> {
  return insertChecked(tx, ctx, entity, checked(ctx, entity, input));
}

/**
 * Checks before opening the transaction, so refused input costs no database round trip. A create
 * that is one statement runs in autocommit: atomic by itself, with no BEGIN and COMMIT around it.
 */
export async function createRecord(
  ctx: RecordContext,
  entity: CompiledEntity,
  input: unknown,
): Promise<RecordData> {
  const record = checked(ctx, entity, input);
  if (singleStatementCreate(entity, ctx.access.decide(entity.def.name, 'create'))) {
    return insertInOneStatement(ctx.db, ctx, entity, record);
  }
  return ctx.db.transaction((tx) => insertChecked(tx, ctx, entity, structuredClone(record)));
}
