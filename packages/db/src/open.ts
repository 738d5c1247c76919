import { join } from 'node:path';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import type { Database } from './types.ts';

export type OpenOptions = {
  /** A PostgreSQL connection string; without it the embedded database is used. */
  databaseUrl?: string;
  /** Tenon's data directory; the embedded database lives in `<dataDir>/pg`. Omitted = in memory. */
  dataDir?: string;
  poolSize?: number;
};

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    return openPostgres({
      connectionString: options.databaseUrl,
      ...(options.poolSize ? { max: options.poolSize } : {}),
    });
  }
  return openPglite(options.dataDir ? { dataDir: join(options.dataDir, 'pg') } : {});
}
