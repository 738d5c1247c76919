import pg from 'pg';
import { toDriverValue } from './arrays.ts';
import { beginStatement, contextStatement, executorOver } from './executor.ts';
import { textParsers } from './parsers.ts';
import { installFastRows } from './pg-rows.ts';
import { withRetry } from './retry.ts';
import type { Database, QueryOptions, QueryResult, Row, Tx } from './types.ts';

export type PostgresOptions = {
  connectionString: string;
  /** Pool size; default 10. */
  max?: number;
};

const types = {
  getTypeParser: ((oid: number, format?: string) =>
    textParsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

installFastRows(pg.types);

/** A PostgreSQL server through a pool: one connection per transaction, context by SET LOCAL. */
export async function openPostgres(options: PostgresOptions): Promise<Database & { pool: pg.Pool }> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    types,
    options: '-c TimeZone=UTC',
  });
  let statements = 0;
  const listeners = new Set<pg.Client>();

  const over = (client: pg.Pool | pg.PoolClient) =>
    executorOver(
      async <R = Row>(
        text: string,
        params?: readonly unknown[],
        options?: QueryOptions,
      ): Promise<QueryResult<R>> => {
        statements++;
        const values = params?.map((v) => toDriverValue(v, 'postgres'));
        const result = await (options?.name
          ? client.query({ name: options.name, text, ...(values ? { values } : {}) }).catch((err) => {
              // 0A000: the table changed under the prepared plan (another instance altered it); the
              // caller's next compiled entity brings a new name. Until then, run it unnamed.
              if ((err as { code?: string }).code !== '0A000') throw err;
              return client.query(text, values);
            })
          : client.query(text, values));
        return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
      },
      async (script: string) => {
        statements++;
        await client.query(script);
      },
    );

  const direct = over(pool);
  // Fail fast with a clear message when the server is unreachable.
  await direct.query('SELECT 1');

  return {
    kind: 'postgres',
    pool,
    ...direct,
    transaction: (fn, txOptions = {}) =>
      withRetry(async () => {
        const client = await pool.connect();
        const inner = over(client);
        const tx: Tx = { ...inner, inTransaction: true };
        try {
          await inner.query(beginStatement(txOptions));
          const context = contextStatement(txOptions.context);
          if (context) await inner.run(context);
          const result = await fn(tx);
          await inner.query('COMMIT');
          client.release();
          return result;
        } catch (err) {
          try {
            await client.query('ROLLBACK');
            client.release();
          } catch {
            client.release(true);
          }
          throw err;
        }
      }, txOptions.retries ?? 4),
    listen: async (channel, onNotify) => {
      const client = new pg.Client({ connectionString: options.connectionString });
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      // A dropped listener connection must not crash the process; its owner polls as well.
      client.on('error', () => {});
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.add(client);
      return async () => {
        listeners.delete(client);
        await client.end().catch(() => {});
      };
    },
    statementCount: () => statements,
    close: async () => {
      await Promise.all([...listeners].map((c) => c.end().catch(() => {})));
      await pool.end();
    },
  };
}
