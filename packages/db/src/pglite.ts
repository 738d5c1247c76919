import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { toDriverValue } from './arrays.ts';
import { beginStatement, contextStatement, executorOver } from './executor.ts';
import { Mutex } from './mutex.ts';
import { textParsers } from './parsers.ts';
import { withRetry } from './retry.ts';
import type { Database, QueryResult, Row } from './types.ts';

export type PgliteOptions = {
  /** Directory for the data files; omitted = in memory. */
  dataDir?: string;
  /** A tarball made by `dumpDataDir` to start from (skips initdb). */
  loadDataDir?: Blob;
};

/** The embedded database: real PostgreSQL in WebAssembly, one connection, transactions in turn. */
export type PgliteDatabase = Database & {
  pglite: PGlite;
  /**
   * A script of several statements without parameters, in turn with every other use of the
   * connection, returning the rows of each statement (job queues that bring their own SQL need them).
   * A failing script leaves no transaction open behind it.
   */
  execAll(script: string): Promise<Row[][]>;
};

export async function openPglite(options: PgliteOptions = {}): Promise<PgliteDatabase> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create(options.dataDir, {
    parsers: textParsers,
    // A snapshot starts with crash recovery, whose progress timer stays armed and would keep the
    // process alive after the last query: no progress reports.
    ...(options.loadDataDir
      ? { loadDataDir: options.loadDataDir, postgresqlconf: ['log_startup_progress_interval = 0'] }
      : {}),
  });
  await pglite.exec(`SET TIME ZONE 'UTC'`);
  const mutex = new Mutex();
  let statements = 0;

  const rawQuery = async <R = Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    statements++;
    const result = await pglite.query<R>(
      text,
      params?.map((v) => toDriverValue(v, 'pglite')),
    );
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  };
  const rawExec = async (script: string) => {
    statements++;
    await pglite.exec(script);
  };
  const inner = executorOver(rawQuery, rawExec);

  return {
    kind: 'pglite',
    pglite,
    query: (text, params) => mutex.run(() => inner.query(text, params)),
    run: (statement) => mutex.run(() => inner.run(statement)),
    exec: (script) => mutex.run(() => inner.exec(script)),
    transaction: (fn, options = {}) =>
      withRetry(
        () =>
          mutex.run(async () => {
            await rawQuery(beginStatement(options));
            try {
              const context = contextStatement(options.context);
              if (context) await inner.run(context);
              // A new object per transaction, as on PostgreSQL: callers may key per-transaction state on it.
              const result = await fn({ ...inner, inTransaction: true });
              await rawQuery('COMMIT');
              return result;
            } catch (err) {
              await rawQuery('ROLLBACK');
              throw err;
            }
          }),
        options.retries ?? 4,
      ),
    execAll: (script) =>
      mutex.run(async () => {
        statements++;
        try {
          return (await pglite.exec(script)).map((r) => r.rows as Row[]);
        } catch (err) {
          // Nothing else holds the connection inside the mutex: only this script's BEGIN can be open.
          await pglite.query('ROLLBACK').catch(() => {});
          throw err;
        }
      }),
    listen: async (channel, onNotify) => {
      const stop = await mutex.run(() => pglite.listen(channel, onNotify));
      return () => mutex.run(stop);
    },
    statementCount: () => statements,
    close: async () => {
      await mutex.run(() => pglite.close());
    },
  };
}
