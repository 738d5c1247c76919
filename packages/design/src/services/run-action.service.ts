/** A declared action on one record: permission, row condition, lock, the module's handler, audit. */
import { AppError, CoreErrors, isUuid } from '@tenon/core';
import type { Executor } from '@tenon/db';
import type { ActionRegistry } from '../actions.ts';
import { requireAccess, SYSTEM_ACCESS } from '../records/access.ts';
import { appendAudit, diffRecords } from '../records/audit.ts';
import type { RecordContext } from '../records/context.ts';
import { redactChanges } from '../records/encryption.ts';
import { writeResponse } from '../records/enforce.ts';
import { getRecord } from '../records/read-records.ts';
import type { RecordData } from '../records/row-mapping.ts';
import type { CompiledEntity } from '../registry.ts';

export async function runAction(
  tx: Executor,
  ctx: RecordContext,
  input: { registry: ActionRegistry; entity: CompiledEntity; id: string; action: string; body: unknown },
): Promise<RecordData> {
  const { entity, id, action } = input;
  const handler = entity.def.actions?.some((a) => a.name === action)
    ? input.registry.find(entity.def.name, action)
    : undefined;
  if (!handler) throw new AppError(CoreErrors.NOT_FOUND, { what: `action ${entity.def.name}.${action}` });
  const decision = requireAccess(ctx.access, entity.def.name, action);
  const current = isUuid(id)
    ? await getRecord(tx, ctx.metamodel, entity, id, { forUpdate: true, rowFilter: decision.rowFilter })
    : null;
  if (!current) throw new AppError(CoreErrors.RECORD_NOT_FOUND, { entity: entity.def.name, id });
  // The action's permission (checked above, with its row condition) is the authority: the handler's
  // own writes are the business step (a status the user may not PATCH), not the user's CRUD.
  const handlerCtx: RecordContext = {
    ...ctx,
    access: SYSTEM_ACCESS,
    inAction: { entity: entity.def.name, id },
  };
  const after = await handler({ tx, ctx: handlerCtx, entity, record: current, body: input.body });
  await appendAudit(
    tx,
    entity.tenant.schemaName,
    ctx.actor,
    [
      {
        action: `action:${action}`,
        entity: entity.def.name,
        recordId: id,
        changes: redactChanges(ctx.metamodel, entity, diffRecords(current, after)),
      },
    ],
    ctx.cause,
  );
  return writeResponse(ctx.access, ctx.metamodel, entity, after);
}
