import { type RawBuilder, sql } from 'kysely';
import { compile } from './sql.ts';
import type { Executor, QueryOptions, QueryResult, Row, TransactionOptions } from './types.ts';

type RawQuery = <R = Row>(
  text: string,
  params?: readonly unknown[],
  options?: QueryOptions,
) => Promise<QueryResult<R>>;

/** Builds the Executor surface (query / run / exec) over one driver's raw query function. */
export function executorOver(rawQuery: RawQuery, rawExec: (script: string) => Promise<void>): Executor {
  return {
    query: rawQuery,
    run: <R = Row>(statement: RawBuilder<unknown>) => {
      const { text, params } = compile(statement);
      return rawQuery<R>(text, params);
    },
    exec: rawExec,
  };
}

export function beginStatement(options: TransactionOptions): string {
  switch (options.isolation) {
    case 'serializable':
      return 'BEGIN ISOLATION LEVEL SERIALIZABLE';
    case 'repeatable read':
      return 'BEGIN ISOLATION LEVEL REPEATABLE READ';
    default:
      return 'BEGIN';
  }
}

const CONTEXT_KEY = /^[a-z][a-z0-9_]{0,62}$/;

/** One statement that sets every context value for this transaction only (SET LOCAL semantics). */
export function contextStatement(context: Record<string, string> | undefined): RawBuilder<unknown> | null {
  const entries = Object.entries(context ?? {});
  if (entries.length === 0) return null;
  const calls = entries.map(([key, value]) => {
    if (!CONTEXT_KEY.test(key)) throw new Error(`invalid context key: ${key}`);
    return sql`set_config(${`tenon.${key}`}, ${value}, true)`;
  });
  return sql`SELECT ${sql.join(calls)}`;
}
