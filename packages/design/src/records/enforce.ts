/** Applying an access decision to records: fields a role may not write or see, rows it may not touch. */
import { AppError } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import type { CompiledEntity, TenantMetamodel } from '../registry.ts';
import { type AccessDecision, AccessErrors } from './access.ts';
import { filterSql } from './filters.ts';
import type { RecordData } from './row-mapping.ts';

/** 403 when the input writes a field the role may only read (or not see). */
export function checkWritableFields(
  decision: AccessDecision,
  entity: CompiledEntity,
  input: RecordData,
): void {
  const denied = Object.keys(input).filter(
    (k) => decision.readOnlyFields.has(k) || decision.hiddenFields.has(k),
  );
  if (denied.length > 0) {
    throw new AppError(
      AccessErrors.ACCESS_DENIED,
      { entity: entity.def.name, action: 'write' },
      denied.map((field) => ({ field, code: 'read_only', message: 'your role may not write this field' })),
    );
  }
}

/** True when the row exists and satisfies the decision's row condition. */
export async function rowAllowed(
  tx: Executor,
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  id: string,
  decision: AccessDecision,
): Promise<boolean> {
  const { rows } = await tx.run(sql`SELECT 1 FROM ${sql.id(entity.tenant.schemaName, entity.def.name)} AS t
    WHERE t.id = ${id} AND ${filterSql(metamodel, entity, 't', decision.rowFilter)}`);
  return rows.length > 0;
}

/** After a write by a role with a row condition: the record must still be one it may touch. */
export async function assertRowAllowed(
  tx: Executor,
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  id: string,
  decision: AccessDecision,
): Promise<void> {
  if (decision.rowFilter && !(await rowAllowed(tx, metamodel, entity, id, decision))) {
    throw new AppError(AccessErrors.ACCESS_ROW_DENIED, { entity: entity.def.name });
  }
}

export function withoutHidden(record: RecordData, hidden: ReadonlySet<string>): RecordData {
  if (hidden.size === 0) return record;
  const out: RecordData = {};
  for (const [k, v] of Object.entries(record)) if (!hidden.has(k)) out[k] = v;
  return out;
}
