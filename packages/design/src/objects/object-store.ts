/** Stored design objects (`_meta_object`): the current version of each, and every past one. */
import { newId } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';

export type StoredObject = {
  kind: string;
  name: string;
  definition: { name: string } & Record<string, unknown>;
  version: number;
  source: string;
  updatedAt: string;
  updatedBy: string | null;
};

type Row = {
  kind: string;
  name: string;
  definition: StoredObject['definition'];
  version: number;
  source: string;
  updated_at: string;
  updated_by: string | null;
};

const toObject = (r: Row): StoredObject => ({
  kind: r.kind,
  name: r.name,
  definition: r.definition,
  version: r.version,
  source: r.source,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export async function loadObjects(db: Executor, schema: string, kind?: string): Promise<StoredObject[]> {
  const where = kind === undefined ? sql`` : sql`WHERE kind = ${kind}`;
  const { rows } = await db.run<Row>(
    sql`SELECT kind, name, definition, version, source, updated_at, updated_by
        FROM ${sql.id(schema, '_meta_object')} ${where} ORDER BY kind, name`,
  );
  return rows.map(toObject);
}

/** The current version, locked for this transaction (so two saves of one object take turns). */
export async function lockObject(
  tx: Executor,
  schema: string,
  key: { kind: string; name: string },
): Promise<StoredObject | null> {
  const { rows } = await tx.run<Row>(
    sql`SELECT kind, name, definition, version, source, updated_at, updated_by
        FROM ${sql.id(schema, '_meta_object')} WHERE kind = ${key.kind} AND name = ${key.name} FOR UPDATE`,
  );
  return rows[0] ? toObject(rows[0]) : null;
}

/** Writes version `version` of an object (null definition: deleted) and its history entry. */
export async function writeObject(
  tx: Executor,
  schema: string,
  input: {
    kind: string;
    name: string;
    definition: StoredObject['definition'] | null;
    version: number;
    source: string;
    user: string | null;
  },
): Promise<void> {
  const table = sql.id(schema, '_meta_object');
  const json = input.definition === null ? null : JSON.stringify(input.definition);
  if (json === null) {
    await tx.run(sql`DELETE FROM ${table} WHERE kind = ${input.kind} AND name = ${input.name}`);
  } else {
    await tx.run(sql`
      INSERT INTO ${table} (kind, name, definition, version, source, updated_by)
      VALUES (${input.kind}, ${input.name}, ${json}::jsonb, ${input.version}, ${input.source}, ${input.user})
      ON CONFLICT (kind, name) DO UPDATE SET definition = EXCLUDED.definition, version = EXCLUDED.version,
        source = EXCLUDED.source, updated_by = EXCLUDED.updated_by, updated_at = now()`);
  }
  await tx.run(sql`
    INSERT INTO ${sql.id(schema, '_meta_object_history')} (id, kind, name, version, definition, changed_by)
    VALUES (${newId()}, ${input.kind}, ${input.name}, ${input.version}, ${json}::jsonb, ${input.user})`);
}

export type ObjectHistoryEntry = {
  version: number;
  definition: StoredObject['definition'] | null;
  changedBy: string | null;
  changedAt: string;
};

export async function objectHistory(
  db: Executor,
  schema: string,
  key: { kind: string; name: string },
): Promise<ObjectHistoryEntry[]> {
  const { rows } = await db.run<ObjectHistoryEntry>(
    sql`SELECT version, definition, changed_by AS "changedBy", changed_at AS "changedAt"
        FROM ${sql.id(schema, '_meta_object_history')}
        WHERE kind = ${key.kind} AND name = ${key.name} ORDER BY version DESC`,
  );
  return rows;
}
