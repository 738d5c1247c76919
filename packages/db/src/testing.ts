/**
 * Test databases: PostgreSQL when TEST_DATABASE_URL is set, otherwise an in-memory PGlite started
 * from a cached snapshot taken after initdb and the platform's own migrations (they run once per
 * machine and migration set, not once per test file). The snapshot is an uncompressed tarball:
 * unpacking a gzipped one took longer than the migrations it saves. One PGlite serves every test
 * file of a process (see sharedPglite).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { newId } from '@tenon/core';
import { migratePlatform, migratePlatformBase, PLATFORM_SCHEMA, platformMigrations } from './migrations.ts';
import { openPglite, type PgliteDatabase } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import { compile } from './sql.ts';
import { createTenant, type Tenant } from './tenants.ts';
import type { Database } from './types.ts';

/** The snapshot's file, named by the PGlite version and the text of the migrations it holds. */
function templatePath(): string {
  const hash = createHash('sha256');
  hash.update(pgliteVersion());
  for (const m of platformMigrations) {
    hash.update(m.id);
    for (const statement of m.statements(PLATFORM_SCHEMA)) hash.update(compile(statement).text);
  }
  return join(tmpdir(), `tenon-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
}

function pgliteVersion(): string {
  for (
    let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    ;
    dir = dirname(dir)
  ) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite') return pkg.version ?? '';
    }
    if (dirname(dir) === dir) return '';
  }
}

async function templateBlob(): Promise<Blob> {
  const path = templatePath();
  if (!existsSync(path)) {
    const fresh = await openPglite();
    await migratePlatformBase(fresh);
    const dump = await fresh.pglite.dumpDataDir('none');
    await fresh.close();
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, Buffer.from(await dump.arrayBuffer()));
    renameSync(temp, path);
  }
  return new Blob([readFileSync(path)]);
}

export function testDatabaseKind(): 'postgres' | 'pglite' {
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

/**
 * On PGlite, one database per test process, shared by the test files the process runs in turn
 * (scripts/test.mjs puts several in one process), as the files of a run share one PostgreSQL
 * database: each works in tenants of its own. Loading the 40 MB snapshot and starting PostgreSQL
 * cost about a second of CPU per file.
 */
let sharedPglite: Promise<PgliteDatabase> | undefined;

/**
 * A test file's handle on the shared PGlite: closing it ends the LISTEN subscriptions made through
 * it, and leaves the database to the next file.
 */
function pgliteHandle(db: PgliteDatabase): PgliteDatabase {
  const subscriptions = new Set<() => Promise<void>>();
  return {
    ...db,
    listen: async (channel, onNotify) => {
      const stop = await db.listen(channel, onNotify);
      const unlisten = async () => {
        if (subscriptions.delete(unlisten)) await stop();
      };
      subscriptions.add(unlisten);
      return unlisten;
    },
    close: async () => {
      for (const unlisten of [...subscriptions]) await unlisten();
    },
  };
}

/** A migrated database for one test file. */
export async function openTestDatabase(options: { poolSize?: number } = {}): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    sharedPglite ??= templateBlob().then((loadDataDir) => openPglite({ loadDataDir }));
    const db = pgliteHandle(await sharedPglite);
    // Files may register more migrations than the one before (identity, modules).
    await migratePlatform(db);
    return db;
  }
  const db = await openPostgres({ connectionString: url, max: options.poolSize ?? 8 });
  await migratePlatform(db);
  return db;
}

/** A fresh tenant with a unique name, so test files can share one PostgreSQL database. */
export function createTestTenant(db: Database, settings: Tenant['settings'] = {}): Promise<Tenant> {
  const name = `t${newId().replaceAll('-', '').slice(-20)}`;
  return createTenant(db, { name, settings: { timeZone: 'Asia/Shanghai', currency: 'CNY', ...settings } });
}
