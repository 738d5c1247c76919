/** The benchmark's own PostgreSQL database: `tenon_bench` unless BENCH_DATABASE_URL names another. */
import { openPostgres, sql } from '@tenon/db';

export const DEFAULT_BENCH_URL = 'postgres://postgres@127.0.0.1:5432/tenon_bench';

/** Refuses the test database, so a benchmark never fills it with a million rows. */
export function benchDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.BENCH_DATABASE_URL || DEFAULT_BENCH_URL;
  const name = databaseName(url);
  if (name === 'test') throw new Error('BENCH_DATABASE_URL must not point at the "test" database');
  return url;
}

export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name))
    throw new Error(`the benchmark database name must be a simple identifier, not "${name}"`);
  return name;
}

/** Creates the database through the server's `postgres` database when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<{ created: boolean }> {
  const name = databaseName(url);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const db = await openPostgres({ connectionString: admin.toString(), max: 1 });
  try {
    const { rows } = await db.run(sql`SELECT 1 FROM pg_database WHERE datname = ${name}`);
    if (rows.length > 0) return { created: false };
    await db.run(sql`CREATE DATABASE ${sql.id(name)}`);
    return { created: true };
  } finally {
    await db.close();
  }
}

export type ServerInfo = { version: string; sharedBuffers: string; synchronousCommit: string };

export async function serverInfo(url: string): Promise<ServerInfo> {
  const db = await openPostgres({ connectionString: url, max: 1 });
  try {
    const { rows } = await db.run<{ version: string; shared_buffers: string; synchronous_commit: string }>(
      sql`SELECT current_setting('server_version') AS version,
                 current_setting('shared_buffers') AS shared_buffers,
                 current_setting('synchronous_commit') AS synchronous_commit`,
    );
    const row = rows[0]!;
    return {
      version: row.version,
      sharedBuffers: row.shared_buffers,
      synchronousCommit: row.synchronous_commit,
    };
  } finally {
    await db.close();
  }
}
