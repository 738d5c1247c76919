/** The SQL of writing records: rows, child lines and many-to-many links. */
import { newId } from '@tenon/core';
import { type Executor, type RawBuilder, sql } from '@tenon/db';
import { joinTableName } from '../ddl/physical.ts';
import type { CompiledEntity } from '../registry.ts';
import type { FieldDef } from '../types.ts';
import { sealValue } from './encryption.ts';
import { columnValueIn, type RecordData } from './row-mapping.ts';

const tableOf = (entity: CompiledEntity) => sql.id(entity.tenant.schemaName, entity.def.name);
/** What is bound for a column: encrypted fields sealed. */
const bound = (entity: CompiledEntity, f: FieldDef, value: unknown) =>
  f.encrypted ? sealValue(entity, f, value) : columnValueIn(f, value);

/** Column fields with a value in `record` (undefined = not given). */
export function presentColumns(entity: CompiledEntity, record: RecordData): FieldDef[] {
  return entity.columnFields.filter((f) => record[f.name] !== undefined);
}

export async function insertRows(
  tx: Executor,
  entity: CompiledEntity,
  records: RecordData[],
  user: string | null,
  parent?: { id: string; field: string; firstLineNo?: number },
): Promise<RecordData[]> {
  if (records.length === 0) return [];
  const fields = entity.columnFields.filter((f) => records.some((r) => r[f.name] !== undefined));
  const columns = [
    sql.id('id'),
    sql.id('created_by'),
    sql.id('updated_by'),
    ...(parent ? [sql.id('parent_id'), sql.id('parent_field'), sql.id('line_no')] : []),
    ...fields.map((f) => sql.id(f.name)),
  ];
  const rows = records.map((r, i) => {
    r.id ??= newId();
    const lineNo = (parent?.firstLineNo ?? 1) + i;
    const values: unknown[] = [r.id, user, user, ...(parent ? [parent.id, parent.field, lineNo] : [])];
    for (const f of fields) values.push(bound(entity, f, r[f.name]));
    return sql`(${sql.join(values)})`;
  });
  const { rows: inserted } = await tx.run<RecordData>(
    sql`INSERT INTO ${tableOf(entity)} (${sql.join(columns)}) VALUES ${sql.join(rows)} RETURNING *`,
  );
  return inserted;
}

export async function updateRow(
  tx: Executor,
  entity: CompiledEntity,
  input: {
    id: string;
    record: RecordData;
    expectedVersion: number | null;
    user: string | null;
    lineNo?: number;
  },
): Promise<RecordData | null> {
  const sets: RawBuilder<unknown>[] = presentColumns(entity, input.record).map(
    (f) => sql`${sql.id(f.name)} = ${bound(entity, f, input.record[f.name])}`,
  );
  if (input.lineNo !== undefined) sets.push(sql`line_no = ${input.lineNo}`);
  sets.push(sql`version = version + 1`, sql`updated_at = now()`, sql`updated_by = ${input.user}`);
  const versionCheck = input.expectedVersion === null ? sql`` : sql` AND version = ${input.expectedVersion}`;
  const { rows } = await tx.run<RecordData>(
    sql`UPDATE ${tableOf(entity)} SET ${sql.join(sets)} WHERE id = ${input.id}${versionCheck} RETURNING *`,
  );
  return rows[0] ?? null;
}

export async function replaceLinks(
  tx: Executor,
  entity: CompiledEntity,
  field: FieldDef,
  sourceId: string,
  targetIds: string[],
  fresh: boolean,
): Promise<void> {
  const jt = sql.id(entity.tenant.schemaName, joinTableName(entity.def.name, field.name));
  if (!fresh) await tx.run(sql`DELETE FROM ${jt} WHERE source_id = ${sourceId}`);
  if (targetIds.length === 0) return;
  const rows = targetIds.map((t) => sql`(${sourceId}, ${t})`);
  await tx.run(sql`INSERT INTO ${jt} (source_id, target_id) VALUES ${sql.join(rows)}`);
}

export async function childLineIds(
  tx: Executor,
  child: CompiledEntity,
  parentId: string,
  field: string,
): Promise<Set<string>> {
  const { rows } = await tx.run<{ id: string }>(
    sql`SELECT id FROM ${tableOf(child)} WHERE parent_id = ${parentId} AND parent_field = ${field} FOR UPDATE`,
  );
  return new Set(rows.map((r) => r.id));
}

export async function deleteRows(tx: Executor, entity: CompiledEntity, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.run(sql`DELETE FROM ${tableOf(entity)} WHERE id IN (${sql.join(ids)})`);
}
