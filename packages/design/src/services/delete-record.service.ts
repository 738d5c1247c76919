/** Delete: refused with 409 while other records link to it; its lines and links go with it. */
import { AppError, CoreErrors, isUuid } from '@tenon/core';
import { sql } from '@tenon/db';
import type { RecordContext } from '../records/context.ts';
import { translateWriteError } from '../records/db-errors.ts';
import { getRecord } from '../records/read-records.ts';
import type { CompiledEntity } from '../registry.ts';

export function deleteRecord(
  ctx: RecordContext,
  entity: CompiledEntity,
  input: { id: string; expectedVersion: number | null },
): Promise<void> {
  // A malformed id names no record: 404, not a database cast error.
  if (!isUuid(input.id))
    return Promise.reject(
      new AppError(CoreErrors.RECORD_NOT_FOUND, { entity: entity.def.name, id: input.id }),
    );
  return ctx.db.transaction(async (tx) => {
    const versionCheck =
      input.expectedVersion === null ? sql`` : sql` AND version = ${input.expectedVersion}`;
    let deleted: number;
    try {
      const result = await tx.run(
        sql`DELETE FROM ${sql.id(entity.tenant.schemaName, entity.def.name)} WHERE id = ${input.id}${versionCheck}`,
      );
      deleted = result.rowCount;
    } catch (err) {
      throw translateWriteError(err, entity, 'delete');
    }
    if (deleted === 0) {
      const current = await getRecord(tx, ctx.metamodel, entity, input.id, { fields: ['version'] });
      if (current) throw new AppError(CoreErrors.VERSION_CONFLICT, { current: current.version });
      throw new AppError(CoreErrors.RECORD_NOT_FOUND, { entity: entity.def.name, id: input.id });
    }
  });
}
