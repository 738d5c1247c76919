/**
 * SQL is written with Kysely's `sql` tag (values bound, identifiers quoted by `sql.id`/`sql.ref`)
 * and compiled here for PostgreSQL; it is never built by string concatenation.
 */
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
  sql,
} from 'kysely';

export type { RawBuilder };
export { sql };

// biome-ignore lint/suspicious/noExplicitAny: a compile-only instance that knows no tables
const compiler = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

export type Compiled = { text: string; params: readonly unknown[] };

export function compile(statement: RawBuilder<unknown>): Compiled {
  const compiled = statement.compile(compiler);
  return { text: compiled.sql, params: compiled.parameters };
}

/** `"schema"."table"` */
export function table(schema: string, name: string): RawBuilder<unknown> {
  return sql.id(schema, name);
}
