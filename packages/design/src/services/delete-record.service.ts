/** Delete: refused with 409 while other records link to it; its lines and links go with it; audited. */
import { AppError, CoreErrors, isUuid } from '@tenon/core';
import { sql } from '@tenon/db';
import { requireAccess } from '../records/access.ts';
import { appendAudit } from '../records/audit.ts';
import type { RecordContext } from '../records/context.ts';
import { translateWriteError } from '../records/db-errors.ts';
import { redactChanges } from '../records/encryption.ts';
import { getRecord } from '../records/read-records.ts';
import type { CompiledEntity } from '../registry.ts';

export function deleteRecord(
  ctx: RecordContext,
  entity: CompiledEntity,
  input: { id: string; expectedVersion: number | null },
): Promise<void> {
  const decision = requireAccess(ctx.access, entity.def.name, 'delete');
  const notFound = () => new AppError(CoreErrors.RECORD_NOT_FOUND, { entity: entity.def.name, id: input.id });
  // A malformed id names no record: 404, not a database cast error.
  if (!isUuid(input.id)) return Promise.reject(notFound());
  return ctx.db.transaction(async (tx) => {
    const current = await getRecord(tx, ctx.metamodel, entity, input.id, {
      forUpdate: true,
      rowFilter: decision.rowFilter,
    });
    if (!current) throw notFound();
    if (input.expectedVersion !== null && current.version !== input.expectedVersion) {
      throw new AppError(CoreErrors.VERSION_CONFLICT, { current: current.version });
    }
    try {
      await tx.run(
        sql`DELETE FROM ${sql.id(entity.tenant.schemaName, entity.def.name)} WHERE id = ${input.id}`,
      );
    } catch (err) {
      throw translateWriteError(err, entity, 'delete');
    }
    await appendAudit(
      tx,
      entity.tenant.schemaName,
      ctx.actor,
      [
        {
          action: 'delete',
          entity: entity.def.name,
          recordId: input.id,
          changes: redactChanges(ctx.metamodel, entity, { before: current }),
        },
      ],
      ctx.cause,
    );
  });
}
