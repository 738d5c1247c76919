/**
 * Platform and tenant migrations. Each migration is a list of statements built with the `sql` tag;
 * applied ones are recorded, and a transaction-scoped advisory lock keeps two instances from racing.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Database, Tx } from './types.ts';

export const PLATFORM_SCHEMA = 'tenon';

export type Migration = { id: string; statements: (schema: string) => RawBuilder<unknown>[] };

const AUDIT_COLUMNS = sql`
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()`;

/** A trigger that refuses UPDATE, DELETE and TRUNCATE: the table is a ledger. */
export function appendOnly(schema: string, table: string): RawBuilder<unknown>[] {
  const fn = sql.id(schema, `${table}_append_only`);
  return [
    sql`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the % table is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`,
    sql`CREATE TRIGGER ${sql.id(`${table}_no_change`)} BEFORE UPDATE OR DELETE ON ${sql.id(schema, table)}
        FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    sql`CREATE TRIGGER ${sql.id(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.id(schema, table)}
        FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
  ];
}

export const platformMigrations: Migration[] = [
  {
    id: '0001-tenants',
    statements: (s) => [
      sql`CREATE TABLE ${sql.id(s, 'tenant')} (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        schema_name text NOT NULL UNIQUE,
        label jsonb NOT NULL DEFAULT '{}',
        settings jsonb NOT NULL DEFAULT '{}',
        ${AUDIT_COLUMNS}
      )`,
    ],
  },
];

export const tenantMigrations: Migration[] = [
  {
    id: '0001-metamodel',
    statements: (s) => [
      sql`CREATE TABLE ${sql.id(s, '_meta_entity')} (
        name text PRIMARY KEY,
        definition jsonb NOT NULL,
        version integer NOT NULL,
        source text NOT NULL,
        updated_by text,
        ${AUDIT_COLUMNS}
      )`,
      sql`CREATE TABLE ${sql.id(s, '_meta_entity_history')} (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        version integer NOT NULL,
        definition jsonb,
        plan jsonb NOT NULL,
        changed_by text,
        changed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (name, version)
      )`,
      sql`CREATE TABLE ${sql.id(s, '_sequence')} (
        series text NOT NULL,
        period text NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (series, period)
      )`,
      sql`CREATE TABLE ${sql.id(s, '_idempotency')} (
        key text PRIMARY KEY,
        request_hash text NOT NULL,
        status integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      sql`CREATE TABLE ${sql.id(s, '_file')} (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL,
        sha256 text NOT NULL,
        storage_path text NOT NULL,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
    ],
  },
  {
    id: '0002-audit',
    statements: (s) => [
      sql`CREATE TABLE ${sql.id(s, '_audit')} (
        id uuid PRIMARY KEY,
        at timestamptz(3) NOT NULL DEFAULT now(),
        user_id text,
        username text,
        action text NOT NULL,
        entity text,
        record_id uuid,
        changes jsonb,
        ip text,
        user_agent text,
        trace_id text
      )`,
      sql`CREATE INDEX ${sql.id('ix_audit_record')} ON ${sql.id(s, '_audit')} (entity, record_id, at)`,
      sql`CREATE INDEX ${sql.id('ix_audit_user')} ON ${sql.id(s, '_audit')} (user_id, at)`,
      ...appendOnly(s, '_audit'),
    ],
  },
  {
    // The transactional outbox: events written in the same transaction as the change they describe,
    // delivered at least once by the kernel's dispatcher, then deleted (the audit log is the history).
    id: '0003-outbox',
    statements: (s) => [
      sql`CREATE TABLE ${sql.id(s, '_outbox')} (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        entity text,
        record_id uuid,
        payload jsonb NOT NULL DEFAULT '{}',
        actor jsonb NOT NULL DEFAULT '{}',
        cause jsonb NOT NULL DEFAULT '{}',
        trace_id text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        available_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`,
      sql`CREATE INDEX ${sql.id('ix_outbox_available')} ON ${sql.id(s, '_outbox')} (available_at, id)`,
      sql`CREATE TABLE ${sql.id(s, '_outbox_dead')} (
        id bigint PRIMARY KEY,
        topic text NOT NULL,
        entity text,
        record_id uuid,
        payload jsonb NOT NULL,
        actor jsonb NOT NULL,
        cause jsonb NOT NULL,
        trace_id text,
        created_at timestamptz NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        attempts integer NOT NULL,
        last_error text
      )`,
    ],
  },
  {
    // Design-side definitions other than entities (services, rules, resource types, forms, menus):
    // one row per (kind, name), versioned with their history like entity definitions.
    id: '0004-meta-objects',
    statements: (s) => [
      sql`CREATE TABLE ${sql.id(s, '_meta_object')} (
        kind text NOT NULL,
        name text NOT NULL,
        definition jsonb NOT NULL,
        version integer NOT NULL,
        source text NOT NULL,
        updated_by text,
        ${AUDIT_COLUMNS},
        PRIMARY KEY (kind, name)
      )`,
      sql`CREATE TABLE ${sql.id(s, '_meta_object_history')} (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        name text NOT NULL,
        version integer NOT NULL,
        definition jsonb,
        changed_by text,
        changed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, name, version)
      )`,
      ...appendOnly(s, '_meta_object_history'),
    ],
  },
];

/** The channel on which a committed outbox write is announced; the payload is the tenant schema. */
export const OUTBOX_CHANNEL = 'tenon_outbox';

async function applyMigrations(tx: Tx, schema: string, migrations: Migration[]): Promise<string[]> {
  await tx.run(sql`SELECT pg_advisory_xact_lock(hashtext(${`tenon.migrate.${schema}`}))`);
  await tx.run(sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`);
  await tx.run(
    sql`CREATE TABLE IF NOT EXISTS ${sql.id(schema, '_migration')} (
      id text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`,
  );
  const done = await tx.run<{ id: string }>(sql`SELECT id FROM ${sql.id(schema, '_migration')}`);
  const applied = new Set(done.rows.map((r) => r.id));
  const ran: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    for (const statement of migration.statements(schema)) await tx.run(statement);
    await tx.run(sql`INSERT INTO ${sql.id(schema, '_migration')} (id) VALUES (${migration.id})`);
    // A set registered twice (under two names) lists its migrations twice: each runs once.
    applied.add(migration.id);
    ran.push(migration.id);
  }
  return ran;
}

/** Migration sets of packages above this one (identity, kernel, …), registered by the composition root. */
export type MigrationSet = { name: string; platform?: Migration[]; tenant?: Migration[] };

const registered = new Map<string, MigrationSet>();

export function registerMigrations(set: MigrationSet): void {
  registered.set(set.name, set);
}

const allPlatform = () => [
  ...platformMigrations,
  ...[...registered.values()].flatMap((s) => s.platform ?? []),
];
const allTenant = () => [...tenantMigrations, ...[...registered.values()].flatMap((s) => s.tenant ?? [])];

export function migratePlatform(db: Database): Promise<string[]> {
  return db.transaction((tx) => applyMigrations(tx, PLATFORM_SCHEMA, allPlatform()));
}

/** The platform's own migrations only, without the registered sets (test database snapshots). */
export function migratePlatformBase(db: Database): Promise<string[]> {
  return db.transaction((tx) => applyMigrations(tx, PLATFORM_SCHEMA, platformMigrations));
}

export function migrateTenantSchema(tx: Tx, schema: string): Promise<string[]> {
  return applyMigrations(tx, schema, allTenant());
}
