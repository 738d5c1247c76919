import { join } from 'node:path';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import type { Database } from './types.ts';

export type OpenOptions = {
  /** A PostgreSQL connection string; without it the embedded database is used. */
  databaseUrl?: string;
  /** Tenon's data directory; the embedded database lives in `<dataDir>/pg`. Omitted = in memory. */
  dataDir?: string;
  /** Connections in the PostgreSQL pool; default `TENON_DB_POOL` from the environment, else 10. */
  poolSize?: number;
};

/** The pool size from `TENON_DB_POOL` (a positive integer), or undefined. */
export function poolSizeFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.TENON_DB_POOL;
  if (raw === undefined || raw === '') return undefined;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > 1000) {
    throw new Error(`TENON_DB_POOL must be a whole number from 1 to 1000, got '${raw}'`);
  }
  return size;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const max = options.poolSize ?? poolSizeFromEnv();
    return openPostgres({ connectionString: options.databaseUrl, ...(max ? { max } : {}) });
  }
  return openPglite(options.dataDir ? { dataDir: join(options.dataDir, 'pg') } : {});
}
