import type { RawBuilder } from 'kysely';

export type Row = Record<string, unknown>;
export type QueryOptions = { name?: string };
export type QueryResult<R = Row> = { rows: R[]; rowCount: number };

/** Anything that runs SQL: the database itself (autocommit) or an open transaction. */
export type Executor = {
  /**
   * One statement with bound parameters. `options.name` makes it a named prepared statement on
   * PostgreSQL (parsed and planned once per connection); the name must identify the text exactly.
   */
  query<R = Row>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>>;
  /** A statement built with the `sql` tag: identifiers quoted, values always bound. */
  run<R = Row>(statement: RawBuilder<unknown>): Promise<QueryResult<R>>;
  /** Several statements without parameters (migrations, DDL scripts). */
  exec(script: string): Promise<void>;
};

export type Tx = Executor & { readonly inTransaction: true };

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

export type TransactionOptions = {
  isolation?: Isolation;
  /** Values readable in SQL through current_setting('tenon.<key>', true), set with SET LOCAL semantics. */
  context?: Record<string, string>;
  /** Attempts after a serialization failure or deadlock; default 4. */
  retries?: number;
};

export type DatabaseKind = 'pglite' | 'postgres';

export type Database = Executor & {
  readonly kind: DatabaseKind;
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * LISTEN on a channel: `onNotify` receives each NOTIFY payload after its transaction commits. On
   * PostgreSQL this holds one dedicated connection per channel; the returned function stops listening.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Statements sent so far (for metrics and the statements-per-request benchmark). */
  statementCount(): number;
  close(): Promise<void>;
};
