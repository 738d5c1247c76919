/**
 * Test databases: PostgreSQL when TEST_DATABASE_URL is set, otherwise an in-memory PGlite started
 * from a cached initdb snapshot (initdb runs once per machine, not once per test file).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { newId } from '@tenon/core';
import { migratePlatform } from './migrations.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import { createTenant, type Tenant } from './tenants.ts';
import type { Database } from './types.ts';

const TEMPLATE = join(tmpdir(), 'tenon-pglite-template-0.5.tar.gz');

async function templateBlob(): Promise<Blob> {
  if (!existsSync(TEMPLATE)) {
    const pg = await PGlite.create();
    const dump = await pg.dumpDataDir('gzip');
    await pg.close();
    const temp = `${TEMPLATE}.${process.pid}.tmp`;
    writeFileSync(temp, Buffer.from(await dump.arrayBuffer()));
    renameSync(temp, TEMPLATE);
  }
  return new Blob([readFileSync(TEMPLATE)]);
}

export function testDatabaseKind(): 'postgres' | 'pglite' {
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

/** A migrated database for one test file. */
export async function openTestDatabase(options: { poolSize?: number } = {}): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  const db = url
    ? await openPostgres({ connectionString: url, max: options.poolSize ?? 8 })
    : await openPglite({ loadDataDir: await templateBlob() });
  await migratePlatform(db);
  return db;
}

/** A fresh tenant with a unique name, so test files can share one PostgreSQL database. */
export function createTestTenant(db: Database, settings: Tenant['settings'] = {}): Promise<Tenant> {
  const name = `t${newId().replaceAll('-', '').slice(-20)}`;
  return createTenant(db, { name, settings: { timeZone: 'Asia/Shanghai', currency: 'CNY', ...settings } });
}
