/** Create: check access, validate, fill defaults, formulas and numbers, insert with lines and links, audit. */
import { validationError } from '@tenon/core';
import { compile, type Executor } from '@tenon/db';
import { requireAccess } from '../records/access.ts';
import { appendAudit } from '../records/audit.ts';
import { actorStamp, type RecordContext } from '../records/context.ts';
import { type CreateEntry, createStatement, singleStatementCreate } from '../records/create-statement.ts';
import { translateWriteError } from '../records/db-errors.ts';
import { redactChanges } from '../records/encryption.ts';
import { assertRowAllowed, checkWritableFields, writeResponse } from '../records/enforce.ts';
import { allocateSequences, applyDefaults, computeFormulas } from '../records/prepare-write.ts';
import { type RecordData, rowToRecord } from '../records/row-mapping.ts';
import { insertRows, replaceLinks } from '../records/write-rows.ts';
import type { CompiledEntity } from '../registry.ts';
import { createCombined } from './create-combined.ts';

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
  const [created] = await insertEntries(db, entity, [{ ctx, record }]);
  return created!;
}

/**
 * Runs one create statement for records of one entity sharing their counters; answers each record
 * as its creator may read it, in order.
 */
export async function insertEntries(
  db: Executor,
  entity: CompiledEntity,
  entries: CreateEntry[],
): Promise<RecordData[]> {
  const { text, params } = compile(createStatement(entity, entries));
  // Outside a transaction the statement is prepared once per text and connection (decision 0052).
  const name = 'inTransaction' in db ? undefined : statementName(entity, text);
  let rows: RecordData[];
  try {
    rows = (await db.query<RecordData>(text, params, name ? { name } : undefined)).rows;
  } catch (err) {
    throw translateWriteError(err, entity, 'write');
  }
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  return entries.map(({ ctx, record }) =>
    writeResponse(ctx.access, ctx.metamodel, entity, rowToRecord(entity, byId.get(record.id as string)!)),
  );
}

/**
 * Names of the one-statement create's texts, per compiled entity: a text depends on the columns a
 * body fills, so an entity has a few. A definition change compiles a new entity, with new names.
 */
const createNames = new WeakMap<CompiledEntity, Map<string, string>>();
/** Texts named per compiled entity at most; others run unnamed. */
const NAMES_PER_ENTITY = 32;
let createNameCount = 0;

function statementName(entity: CompiledEntity, text: string): string | undefined {
  let names = createNames.get(entity);
  if (!names) {
    names = new Map();
    createNames.set(entity, names);
  }
  let name = names.get(text);
  if (!name && names.size < NAMES_PER_ENTITY) {
    name = `tenon_create_${++createNameCount}`;
    names.set(text, name);
  }
  return name;
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
    applyDefaults(entity, record, ctx);
    computeFormulas(entity, record);
    // Combined with the creates of this entity waiting beside it (decision 0053).
    return createCombined(entity, { ctx, record }, (entries) =>
      insertEntries(entries[0]!.ctx.db, entity, entries),
    );
  }
  return ctx.db.transaction((tx) => insertChecked(tx, ctx, entity, structuredClone(record)));
}
