/** Roles live in the tenant's schema, versioned. */
import { type Executor, sql } from '@tenon/db';
import type { RoleDef } from '../policy.ts';

export async function loadRoles(
  db: Executor,
  schema: string,
): Promise<{ roles: RoleDef[]; version: number }> {
  const { rows } = await db.run<{ definition: RoleDef; version: number }>(
    sql`SELECT definition, version FROM ${sql.id(schema, '_role')} ORDER BY name`,
  );
  return {
    roles: rows.map((r) => r.definition),
    version: rows.reduce((sum, r) => sum + r.version, rows.length),
  };
}

/** A new role; null when the name is taken. */
export async function insertRole(
  db: Executor,
  schema: string,
  role: RoleDef,
  user: string | null,
): Promise<number | null> {
  const { rows } = await db.run<{ version: number }>(sql`
    INSERT INTO ${sql.id(schema, '_role')} (name, definition, updated_by) VALUES (${role.name}, ${JSON.stringify(role)}::jsonb, ${user})
    ON CONFLICT (name) DO NOTHING RETURNING version`);
  return rows[0]?.version ?? null;
}

export async function saveRole(
  db: Executor,
  schema: string,
  role: RoleDef,
  user: string | null,
): Promise<number> {
  const { rows } = await db.run<{ version: number }>(sql`
    INSERT INTO ${sql.id(schema, '_role')} AS r (name, definition, updated_by) VALUES (${role.name}, ${JSON.stringify(role)}::jsonb, ${user})
    ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, version = r.version + 1,
      updated_by = EXCLUDED.updated_by, updated_at = now()
    RETURNING version`);
  return rows[0]!.version;
}
