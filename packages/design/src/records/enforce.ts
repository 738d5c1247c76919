/** Applying an access decision to records: fields a role may not write or see, rows it may not touch. */
import { AppError } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import type { CompiledEntity, TenantMetamodel } from '../registry.ts';
import { type AccessDecision, AccessErrors, type AccessPolicy } from './access.ts';
import { maskEncrypted } from './encryption.ts';
import { filterSql } from './filters.ts';
import type { RecordData } from './row-mapping.ts';

/** Fields of `input` in `blocked`, as `<prefix><field>`; lines are checked against their own entity. */
function deniedFields(
  entity: CompiledEntity,
  input: RecordData,
  blocked: ReadonlySet<string>,
  prefix: string,
  lines: LineAccess | undefined,
): string[] {
  const denied = Object.keys(input)
    .filter((k) => blocked.has(k))
    .map((k) => `${prefix}${k}`);
  if (!lines) return denied;
  for (const field of entity.childFields) {
    const items = input[field.name];
    if (!Array.isArray(items)) continue;
    const child = lines.metamodel.get(field.target!);
    // Lines are written under the parent's permission: what the role hides in them (or makes
    // read-only for this action) cannot be written either.
    const write = lines.access.decide(child.def.name, lines.action);
    const childBlocked = new Set([
      ...lines.access.decide(child.def.name, 'read').hiddenFields,
      ...(write.allowed ? write.readOnlyFields : []),
    ]);
    for (const [i, line] of items.entries()) {
      if (typeof line !== 'object' || line === null) continue;
      denied.push(
        ...deniedFields(child, line as RecordData, childBlocked, `${prefix}${field.name}.${i}.`, lines),
      );
    }
  }
  return denied;
}

type LineAccess = { access: AccessPolicy; metamodel: TenantMetamodel; action: string };

/** 403 when the input writes a field the role may only read (or not see), in the record or its lines. */
export function checkWritableFields(
  decision: AccessDecision,
  entity: CompiledEntity,
  input: RecordData,
  lines?: LineAccess,
): void {
  const blocked = new Set([...decision.readOnlyFields, ...decision.hiddenFields]);
  const denied = deniedFields(entity, input, blocked, '', lines);
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

/** What the user may see of a record: hidden fields left out, encrypted ones masked (unless unmasked), in its lines too. */
export function visibleRecord(
  access: AccessPolicy,
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  record: RecordData,
): RecordData {
  const decision = access.decide(entity.def.name, 'read');
  const out = { ...maskEncrypted(entity, withoutHidden(record, decision.hiddenFields), decision) };
  for (const field of entity.childFields) {
    const lines = out[field.name];
    if (!Array.isArray(lines)) continue;
    const child = metamodel.get(field.target!);
    out[field.name] = lines.map((line) =>
      typeof line === 'object' && line !== null
        ? visibleRecord(access, metamodel, child, line as RecordData)
        : line,
    );
  }
  return out;
}

/**
 * A write's answer: the record as the user may see it; only its id and version for a role that may
 * write but not read (an empty PATCH must not read what a GET refuses).
 */
export function writeResponse(
  access: AccessPolicy,
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  record: RecordData,
): RecordData {
  if (!access.decide(entity.def.name, 'read').allowed) return { id: record.id, version: record.version };
  return visibleRecord(access, metamodel, entity, record);
}
