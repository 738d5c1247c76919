/**
 * Update (PATCH): only the fields given change; lines given replace the record's lines (an id keeps
 * and changes a line, no id adds one, a missing line is removed). The current row is read and locked
 * first: it gives the version check, the merged record for formulas and currency scales, the row
 * condition of the user's role, and the "before" of the audit entry.
 */
import {
  AppError,
  CoreErrors,
  currencyScale,
  Decimal,
  decimalShape,
  type FieldError,
  isUuid,
  validationError,
} from '@tenon/core';
import type { Executor } from '@tenon/db';
import { type AccessDecision, requireAccess } from '../records/access.ts';
import { appendAudit, diffRecords } from '../records/audit.ts';
import { actorStamp, type RecordContext } from '../records/context.ts';
import { translateWriteError } from '../records/db-errors.ts';
import { dropMaskEchoes, redactChanges } from '../records/encryption.ts';
import { assertRowAllowed, checkWritableFields, writeResponse } from '../records/enforce.ts';
import { computeFormulas } from '../records/prepare-write.ts';
import { getRecord } from '../records/read-records.ts';
import { type RecordData, rowToRecord } from '../records/row-mapping.ts';
import { childLineIds, deleteRows, replaceLinks, updateRow } from '../records/write-rows.ts';
import { type CompiledEntity, DEFAULT_CURRENCY } from '../registry.ts';
import { fieldMessage } from '../schema/validate-record.ts';
import { insertRecords } from './create-record.service.ts';

export type UpdateInput = { id: string; patch: unknown; expectedVersion: number | null };

async function syncLines(
  tx: Executor,
  ctx: RecordContext,
  entity: CompiledEntity,
  parentId: string,
  patch: RecordData,
  out: RecordData,
): Promise<void> {
  for (const field of entity.childFields) {
    const lines = patch[field.name] as RecordData[] | undefined;
    if (lines === undefined) continue;
    const child = ctx.metamodel.get(field.target!);
    const existing = await childLineIds(tx, child, parentId, field.name);
    const kept = new Set<string>();
    const result: RecordData[] = [];
    for (const [i, line] of lines.entries()) {
      if (typeof line.id === 'string') {
        if (!existing.has(line.id)) {
          throw validationError([
            { field: `${field.name}.${i}.id`, code: 'unknown_line', message: 'no such line on this record' },
          ]);
        }
        if (kept.has(line.id)) {
          throw validationError([
            { field: `${field.name}.${i}.id`, code: 'duplicate_line', message: 'this line is given twice' },
          ]);
        }
        kept.add(line.id);
        const { id, ...changes } = line;
        if (child.formulas.length > 0) {
          // The line's formulas follow its changed values, as they do on create.
          const current = await getRecord(tx, ctx.metamodel, child, id, {
            fields: child.columnFields.map((f) => f.name),
          });
          const merged = { ...current, ...changes };
          computeFormulas(child, merged);
          for (const { field: formula } of child.formulas) changes[formula.name] = merged[formula.name];
        }
        const row = await updateRow(tx, child, {
          id,
          record: changes,
          expectedVersion: null,
          user: actorStamp(ctx.actor),
          lineNo: i + 1,
        });
        result.push(rowToRecord(child, row!));
      } else {
        const [created] = await insertRecords(tx, ctx, child, [line], {
          id: parentId,
          field: field.name,
          firstLineNo: i + 1,
        });
        result.push(created!);
      }
    }
    await deleteRows(
      tx,
      child,
      [...existing].filter((id) => !kept.has(id)),
    );
    // Line numbers follow the order given.
    out[field.name] = result;
  }
  for (const field of entity.multiLinkFields) {
    const ids = patch[field.name] as string[] | undefined;
    if (ids === undefined) continue;
    await replaceLinks(tx, entity, field, parentId, ids, false);
    out[field.name] = [...ids].sort();
  }
}

/**
 * Money whose currency is another field: the patch alone may lack the currency (or change only it),
 * so the scale is checked against the record as it will be. A value from the patch is checked as
 * written (like on create), a stored value by its digits.
 */
function checkCurrencyScales(
  ctx: RecordContext,
  entity: CompiledEntity,
  current: RecordData,
  patch: RecordData,
): void {
  const fields = entity.columnFields.filter(
    (f) =>
      f.kind === 'money' &&
      f.currencyField &&
      (patch[f.name] !== undefined || patch[f.currencyField] !== undefined),
  );
  const merged = { ...current, ...patch };
  const errors: FieldError[] = [];
  for (const f of fields) {
    const value = merged[f.name];
    if (typeof value !== 'string') continue;
    const fromField = merged[f.currencyField!];
    const currency =
      typeof fromField === 'string'
        ? fromField
        : (f.currency ?? entity.tenant.settings.currency ?? DEFAULT_CURRENCY);
    const limit = Math.min(currencyScale(currency), 4);
    const places = patch[f.name] !== undefined ? decimalShape(value).scale : new Decimal(value).dp();
    if (places > limit)
      errors.push({ field: f.name, code: 'scale', message: fieldMessage('scale', ctx.locale, { limit }) });
  }
  if (errors.length > 0) throw validationError(errors);
}

function checked(
  ctx: RecordContext,
  entity: CompiledEntity,
  input: UpdateInput,
): { patch: RecordData; decision: AccessDecision } {
  const decision = requireAccess(ctx.access, entity.def.name, 'update');
  // Inside the entity's own declared action, its action-owned fields (a status) may be written.
  const byAction = ctx.inAction?.entity === entity.def.name && ctx.inAction.id === input.id;
  const errors = (byAction ? entity.validateActionUpdate : entity.validateUpdate)(input.patch, ctx.locale);
  if (errors.length > 0) throw validationError(errors);
  checkWritableFields(decision, entity, input.patch as RecordData, {
    access: ctx.access,
    metamodel: ctx.metamodel,
    action: 'update',
  });
  return { patch: structuredClone(input.patch) as RecordData, decision };
}

/** Updates one record inside an open transaction. */
export function updateRecordIn(
  tx: Executor,
  ctx: RecordContext,
  entity: CompiledEntity,
  input: UpdateInput,
): Promise<RecordData> {
  const { patch, decision } = checked(ctx, entity, input);
  return applyUpdate(tx, ctx, entity, input, patch, decision);
}

/** Checks before opening the transaction, so refused input costs no database round trip. */
export async function updateRecord(
  ctx: RecordContext,
  entity: CompiledEntity,
  input: UpdateInput,
): Promise<RecordData> {
  const { patch, decision } = checked(ctx, entity, input);
  return ctx.db.transaction((tx) => applyUpdate(tx, ctx, entity, input, structuredClone(patch), decision));
}

async function applyUpdate(
  tx: Executor,
  ctx: RecordContext,
  entity: CompiledEntity,
  input: UpdateInput,
  patch: RecordData,
  decision: AccessDecision,
): Promise<RecordData> {
  const notFound = () => new AppError(CoreErrors.RECORD_NOT_FOUND, { entity: entity.def.name, id: input.id });
  if (!isUuid(input.id)) throw notFound();
  try {
    // A row outside the role's condition is, for this user, not there.
    const current = await getRecord(tx, ctx.metamodel, entity, input.id, {
      forUpdate: true,
      rowFilter: decision.rowFilter,
    });
    if (!current) throw notFound();
    if (input.expectedVersion !== null && current.version !== input.expectedVersion) {
      throw new AppError(CoreErrors.VERSION_CONFLICT, { current: current.version });
    }
    dropMaskEchoes(entity, patch, current, ctx.access.decide(entity.def.name, 'read'));
    if (Object.keys(patch).length === 0) return writeResponse(ctx.access, ctx.metamodel, entity, current);
    checkCurrencyScales(ctx, entity, current, patch);
    if (entity.formulas.length > 0) {
      const merged = { ...current, ...patch };
      computeFormulas(entity, merged);
      for (const { field } of entity.formulas) patch[field.name] = merged[field.name];
    }
    const row = await updateRow(tx, entity, {
      id: input.id,
      record: patch,
      expectedVersion: null,
      user: actorStamp(ctx.actor),
    });
    const out = rowToRecord(entity, row!);
    for (const field of entity.childFields) out[field.name] = current[field.name];
    await syncLines(tx, ctx, entity, input.id, patch, out);
    await assertRowAllowed(tx, ctx.metamodel, entity, input.id, decision);
    const changes = diffRecords(current, out);
    // Inside a declared action, the action's entry records this record's changes (one entry per write).
    const auditedByAction = ctx.inAction?.entity === entity.def.name && ctx.inAction.id === input.id;
    if (changes && !auditedByAction) {
      await appendAudit(
        tx,
        entity.tenant.schemaName,
        ctx.actor,
        [
          {
            action: 'update',
            entity: entity.def.name,
            recordId: input.id,
            changes: redactChanges(ctx.metamodel, entity, changes),
          },
        ],
        ctx.cause,
      );
    }
    return writeResponse(ctx.access, ctx.metamodel, entity, out);
  } catch (err) {
    throw translateWriteError(err, entity, 'write');
  }
}
