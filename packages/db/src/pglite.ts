import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { beginStatement, contextStatement, executorOver } from './executor.ts';
import { Mutex } from './mutex.ts';
import { textParsers } from './parsers.ts';
import { withRetry } from './retry.ts';
import type { Database, QueryResult, Row, Tx } from './types.ts';

export type PgliteOptions = {
  /** Directory for the data files; omitted = in memory. */
  dataDir?: string;
  /** A tarball made by `dumpDataDir` to start from (skips initdb). */
  loadDataDir?: Blob;
};

/** The embedded database: real PostgreSQL in WebAssembly, one connection, transactions in turn. */
export async function openPglite(options: PgliteOptions = {}): Promise<Database & { pglite: PGlite }> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create(options.dataDir, {
    parsers: textParsers,
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  await pglite.exec(`SET TIME ZONE 'UTC'`);
  const mutex = new Mutex();
  let statements = 0;

  const rawQuery = async <R = Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    statements++;
    const result = await pglite.query<R>(text, params as unknown[] | undefined);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  };
  const rawExec = async (script: string) => {
    statements++;
    await pglite.exec(script);
  };
  const inner = executorOver(rawQuery, rawExec);
  const tx: Tx = { ...inner, inTransaction: true };

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
              const result = await fn(tx);
              await rawQuery('COMMIT');
              return result;
            } catch (err) {
              await rawQuery('ROLLBACK');
              throw err;
            }
          }),
        options.retries ?? 4,
      ),
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
