/**
 * One operation on many records of an entity: delete (a document, i.e. an entity declaring `cancel`,
 * is cancelled instead), set field values, or run a declared action. The selection is ids, or every
 * record matching a filter within the user's row condition. Everything runs in one transaction, each
 * row in its own savepoint so that every failing row is reported; if any row fails, nothing is kept
 * (decision 0029).
 */
import { AppError, CoreErrors, type FieldError, isUuid, type Locale } from '@tenon/core';
import { type Database, sql, type Tx } from '@tenon/db';
import {
  type ActionRegistry,
  type CompiledEntity,
  deleteRecord,
  type FilterNode,
  filterSql,
  type RecordContext,
  requireAccess,
  runAction,
  updateRecordIn,
} from '@tenon/design';
import { ConsoleErrors } from '../me/me-errors.ts';

export const MAX_BULK_ROWS = 1000;
/** The declared action that makes an entity a document: it is cancelled, not deleted. */
export const CANCEL_ACTION = 'cancel';

export type BulkOperation =
  | { kind: 'delete' }
  | { kind: 'update'; patch: Record<string, unknown> }
  | { kind: 'action'; action: string; body: unknown };

export type BulkSelection = { ids: string[] } | { filter: FilterNode | null };

export type BulkOutcome = { operation: string; count: number; ids: string[] };

const bad = (reason: string) => new AppError(ConsoleErrors.CONSOLE_BULK_INVALID, { reason });

const isDocument = (entity: CompiledEntity, actions: ActionRegistry) =>
  !!entity.def.actions?.some((a) => a.name === CANCEL_ACTION) &&
  !!actions.find(entity.def.name, CANCEL_ACTION);

/** The permission an operation needs on the entity, checked once for the whole selection. */
function permissionOf(entity: CompiledEntity, op: BulkOperation, actions: ActionRegistry): string {
  if (op.kind === 'update') return 'update';
  if (op.kind === 'delete') return isDocument(entity, actions) ? CANCEL_ACTION : 'delete';
  if (!entity.def.actions?.some((a) => a.name === op.action) || !actions.find(entity.def.name, op.action))
    throw bad(`${entity.def.name} has no action ${op.action}`);
  return op.action;
}

/** The records a filter selects, as the list would show them to the user. */
async function selectIds(ctx: RecordContext, entity: CompiledEntity, filter: FilterNode | null) {
  const read = requireAccess(ctx.access, entity.def.name, 'read');
  const { rows } = await ctx.db.run<{ id: string }>(
    sql`SELECT t.id FROM ${sql.id(entity.tenant.schemaName, entity.def.name)} AS t
        WHERE ${filterSql(ctx.metamodel, entity, 't', filter, ctx.access)}
          AND ${filterSql(ctx.metamodel, entity, 't', read.rowFilter)}
        ORDER BY t.id LIMIT ${MAX_BULK_ROWS + 1}`,
  );
  return rows.map((r) => r.id);
}

/** The transaction seen as a database, so that services opening their own transaction join this one. */
function joined(db: Database, tx: Tx): Database {
  return {
    kind: db.kind,
    query: (text, params, options) => tx.query(text, params, options),
    run: (statement) => tx.run(statement),
    exec: (script) => tx.exec(script),
    transaction: (fn) => fn(tx),
    listen: () => Promise.reject(new Error('no LISTEN inside a bulk operation')),
    statementCount: () => db.statementCount(),
    close: () => Promise.reject(new Error('a bulk operation does not close the database')),
  };
}

function rowErrors(id: string, err: unknown, locale: Locale): FieldError[] {
  if (!(err instanceof AppError)) throw err;
  const message = err.localizedMessage(locale);
  if (err.details.length === 0) return [{ field: id, code: err.code, message }];
  return err.details.map((d) => ({
    field: d.field ? `${id}.${d.field}` : id,
    code: d.code,
    message: d.message,
  }));
}

class RowsFailed extends Error {
  constructor(readonly details: FieldError[]) {
    super('bulk rows failed');
  }
}

export async function runBulk(
  ctx: RecordContext,
  input: {
    entity: CompiledEntity;
    actions: ActionRegistry;
    selection: BulkSelection;
    operation: BulkOperation;
  },
): Promise<BulkOutcome> {
  const { entity, actions, operation } = input;
  const permission = permissionOf(entity, operation, actions);
  requireAccess(ctx.access, entity.def.name, permission);
  const ids =
    'ids' in input.selection
      ? [...new Set(input.selection.ids)]
      : await selectIds(ctx, entity, input.selection.filter);
  if (ids.length === 0) throw bad('the selection is empty');
  if (ids.length > MAX_BULK_ROWS) throw bad(`at most ${MAX_BULK_ROWS} records at once`);
  const label =
    operation.kind === 'delete' ? (permission === CANCEL_ACTION ? 'cancel' : 'delete') : operation.kind;
  try {
    await ctx.db.transaction(async (tx) => {
      const rowCtx: RecordContext = { ...ctx, db: joined(ctx.db, tx) };
      const failed: FieldError[] = [];
      for (const id of ids) {
        await tx.run(sql`SAVEPOINT tenon_bulk_row`);
        try {
          await runOne(tx, rowCtx, { entity, actions, operation, permission, id });
          await tx.run(sql`RELEASE SAVEPOINT tenon_bulk_row`);
        } catch (err) {
          await tx.run(sql`ROLLBACK TO SAVEPOINT tenon_bulk_row`);
          failed.push(...rowErrors(id, err, ctx.locale));
        }
      }
      if (failed.length > 0) throw new RowsFailed(failed);
    });
  } catch (err) {
    if (!(err instanceof RowsFailed)) throw err;
    const rows = new Set(err.details.map((d) => d.field.slice(0, 36)));
    throw new AppError(ConsoleErrors.CONSOLE_BULK_ROWS_FAILED, { failed: rows.size }, err.details);
  }
  return { operation: label, count: ids.length, ids };
}

async function runOne(
  tx: Tx,
  ctx: RecordContext,
  input: {
    entity: CompiledEntity;
    actions: ActionRegistry;
    operation: BulkOperation;
    permission: string;
    id: string;
  },
): Promise<void> {
  const { entity, operation, id } = input;
  if (!isUuid(id)) throw new AppError(CoreErrors.RECORD_NOT_FOUND, { entity: entity.def.name, id });
  if (operation.kind === 'update') {
    await updateRecordIn(tx, ctx, entity, { id, patch: operation.patch, expectedVersion: null });
  } else if (operation.kind === 'delete' && input.permission !== CANCEL_ACTION) {
    await deleteRecord(ctx, entity, { id, expectedVersion: null });
  } else {
    const action = operation.kind === 'action' ? operation.action : CANCEL_ACTION;
    const body = operation.kind === 'action' ? operation.body : {};
    await runAction(tx, ctx, { registry: input.actions, entity, id, action, body });
  }
}
