/**
 * pg-boss over the application's own database. On PostgreSQL pg-boss keeps a small pool of its own
 * (same server, its own schema). On PGlite there is one connection, so every pg-boss statement goes
 * through the Database's mutex, in turn with the application's transactions; scripts of several
 * statements return the rows of each (pg-boss reads a RETURNING in the middle of a BEGIN…COMMIT).
 */
import type { Database, PgliteDatabase } from '@tenon/db';
import type { ConstructorOptions, Db } from 'pg-boss';

export function pgBossConnection(db: Database, schema: string): ConstructorOptions {
  if (db.kind === 'pglite') {
    const lite = db as PgliteDatabase;
    const adapter: Db = {
      async executeSql(text, values) {
        if (values && values.length > 0) return { rows: (await lite.query(text, values)).rows };
        return { rows: (await lite.execAll(text)).flat() };
      },
      // One session for the life of the database: run them once.
      async setSessionStatements(statements) {
        if (statements.length > 0) await lite.execAll(statements.join(';\n'));
      },
    };
    return { db: adapter, backend: 'pglite', schema, max: 1 };
  }
  const pool = (db as Database & { pool?: { options: { connectionString?: string } } }).pool;
  const connectionString = pool?.options.connectionString;
  if (!connectionString) throw new Error('pg-boss needs the PostgreSQL connection string of the database');
  return { connectionString, schema, max: 3 };
}
