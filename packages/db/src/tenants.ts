import { AppError, defineErrors, newId } from '@tenon/core';
import { sql } from 'kysely';
import { migrateTenantSchema, PLATFORM_SCHEMA } from './migrations.ts';
import type { Database, Executor } from './types.ts';

export const TenantErrors = defineErrors({
  TENANT_NAME_INVALID: {
    status: 422,
    'zh-CN': '租户名无效：须为小写字母开头的 2–40 位小写字母、数字或下划线',
    en: 'Invalid tenant name: 2-40 lowercase letters, digits or underscores, starting with a letter',
  },
  TENANT_EXISTS: { status: 409, 'zh-CN': '租户已存在：{name}', en: 'Tenant already exists: {name}' },
  TENANT_NOT_FOUND: { status: 404, 'zh-CN': '租户不存在：{name}', en: 'Tenant not found: {name}' },
});

export type Tenant = {
  id: string;
  name: string;
  schemaName: string;
  settings: { timeZone?: string; currency?: string };
};

const TENANT_NAME = /^[a-z][a-z0-9_]{1,39}$/;

export function tenantSchemaName(name: string): string {
  if (!TENANT_NAME.test(name)) throw new AppError(TenantErrors.TENANT_NAME_INVALID);
  return `t_${name}`;
}

type TenantRow = { id: string; name: string; schema_name: string; settings: Tenant['settings'] };

const toTenant = (r: TenantRow): Tenant => ({
  id: r.id,
  name: r.name,
  schemaName: r.schema_name,
  settings: r.settings ?? {},
});

export async function findTenant(db: Executor, name: string): Promise<Tenant | null> {
  const { rows } = await db.run<TenantRow>(
    sql`SELECT id, name, schema_name, settings FROM ${sql.id(PLATFORM_SCHEMA, 'tenant')} WHERE name = ${name}`,
  );
  return rows[0] ? toTenant(rows[0]) : null;
}

export async function listTenants(db: Executor): Promise<Tenant[]> {
  const { rows } = await db.run<TenantRow>(
    sql`SELECT id, name, schema_name, settings FROM ${sql.id(PLATFORM_SCHEMA, 'tenant')} ORDER BY name`,
  );
  return rows.map(toTenant);
}

/** Creates the tenant row and its schema with every tenant migration, in one transaction. */
export async function createTenant(
  db: Database,
  input: { name: string; settings?: Tenant['settings'] },
): Promise<Tenant> {
  const schemaName = tenantSchemaName(input.name);
  return db.transaction(async (tx) => {
    const inserted = await tx.run<TenantRow>(
      sql`INSERT INTO ${sql.id(PLATFORM_SCHEMA, 'tenant')} (id, name, schema_name, settings)
          VALUES (${newId()}, ${input.name}, ${schemaName}, ${JSON.stringify(input.settings ?? {})}::jsonb)
          ON CONFLICT (name) DO NOTHING
          RETURNING id, name, schema_name, settings`,
    );
    const row = inserted.rows[0];
    if (!row) throw new AppError(TenantErrors.TENANT_EXISTS, { name: input.name });
    await migrateTenantSchema(tx, schemaName);
    return toTenant(row);
  });
}

/** Applies pending tenant migrations to every tenant. */
export async function migrateAllTenants(db: Database): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const tenant of await listTenants(db)) {
    result[tenant.name] = await db.transaction((tx) => migrateTenantSchema(tx, tenant.schemaName));
  }
  return result;
}
