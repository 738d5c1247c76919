/**
 * Small record helpers for the warehouse services: create and patch through the generic record
 * services (numbering, validation, audit, events), read lines and rows with plain SQL.
 */
import { AppError, datePartsIn } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import {
  createRecordIn,
  getRecord,
  type RecordContext,
  type RecordData,
  updateRecordIn,
} from '@tenon/design';
import { WmsErrors } from '../domain/errors.ts';

export type Scope = { tx: Executor; ctx: RecordContext; schema: string };

export function scopeOf(tx: Executor, ctx: RecordContext): Scope {
  return { tx, ctx, schema: ctx.metamodel.tenant.schemaName };
}

function entityOf(s: Scope, name: string) {
  const entity = s.ctx.metamodel.find(name);
  if (!entity) throw new Error(`entity ${name} is not installed`);
  return entity;
}

export const createIn = (s: Scope, entity: string, data: Record<string, unknown>): Promise<RecordData> =>
  createRecordIn(s.tx, s.ctx, entityOf(s, entity), data);

export const patchIn = (
  s: Scope,
  entity: string,
  id: string,
  patch: Record<string, unknown>,
): Promise<RecordData> =>
  updateRecordIn(s.tx, { ...s.ctx, inAction: { entity, id } }, entityOf(s, entity), {
    id,
    patch,
    expectedVersion: null,
  });

/** Rows of one of this module's tables (or inventory's, read only). */
export async function rows<T>(s: Scope, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await s.tx.run<T>(query)).rows;
}

export const t = (s: Scope, table: string) => sql.id(s.schema, table);

/** A record by id (with FOR UPDATE when locking), or 404. */
export async function one<T extends Record<string, unknown>>(
  s: Scope,
  table: string,
  id: string,
  lock = false,
): Promise<T> {
  const found = await rows<T>(
    s,
    lock
      ? sql`SELECT * FROM ${t(s, table)} WHERE id = ${id}::uuid FOR UPDATE`
      : sql`SELECT * FROM ${t(s, table)} WHERE id = ${id}::uuid`,
  );
  if (!found[0]) throw new AppError(WmsErrors.WMS_BAD_INPUT, { field: table, reason: `no record ${id}` });
  return found[0];
}

export function requireStatus(entity: string, record: RecordData, allowed: string[], action: string): void {
  const status = String(record.status);
  if (!allowed.includes(status)) throw new AppError(WmsErrors.WMS_BAD_STATE, { entity, status, action });
}

export const bad = (field: string, reason: string) =>
  new AppError(WmsErrors.WMS_BAD_INPUT, { field, reason });

/** The business date of `now` in the tenant's time zone. */
export function businessDate(ctx: RecordContext): string {
  const p = datePartsIn(ctx.clock.now(), ctx.metamodel.tenant.settings.timeZone ?? 'UTC');
  return `${p.year}-${p.month}-${p.day}`;
}

/** The record as the API shows it (with its lines), read inside the transaction. */
export async function reload(s: Scope, entity: string, id: string): Promise<RecordData> {
  return (await getRecord(s.tx, s.ctx.metamodel, entityOf(s, entity), id))!;
}
