/**
 * How the posting and reservation paths send their hot statements: as named prepared statements,
 * parsed and planned once per connection, under names that change whenever one of the tables they
 * read has doubled in size.
 *
 * Planned once and kept, a plan made while the ledger was nearly empty (and never analyzed, with
 * autovacuum off) went on scanning the whole ledger after it had grown: one sequential scan per
 * posting, 5 billion rows read over a 100,000-move run (docs/benchmarks.md). Planned on every
 * execution, the planning cost about as much as the execution. So each name carries the size class
 * (log2 of the pages) of every table these statements read, checked at most every few seconds: a
 * plan is never made on tables less than half as large as they are, and a connection plans each
 * statement again only when a table has doubled.
 */
import { createHash } from 'node:crypto';
import { compile, type Executor, type QueryResult, type RawBuilder } from '@tenon/db';

/** The tables whose size classes name the statements. */
const TABLES = ['inv_ledger', 'inv_layer', 'inv_posting', 'inv_balance', 'item', 'location', 'warehouse'];
/** How long a schema's size classes are trusted before they are read again. */
const RECHECK_MS = 5000;

const sizeClasses = new Map<string, { classes: string; at: number }>();
const textNames = new Map<string, string>();

async function sizeClassOf(ex: Executor, schema: string): Promise<string> {
  const known = sizeClasses.get(schema);
  if (known && Date.now() - known.at < RECHECK_MS) return known.classes;
  const { rows } = await ex.query<{ relname: string; pages: string }>(
    `SELECT c.relname, pg_relation_size(c.oid) / 8192 AS pages FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2)`,
    [schema, TABLES],
  );
  const pages = new Map(rows.map((r) => [r.relname, Number(r.pages)]));
  const classes = TABLES.map((t) => Math.floor(Math.log2((pages.get(t) ?? 0) + 1))).join('.');
  sizeClasses.set(schema, { classes, at: Date.now() });
  return classes;
}

function nameOf(text: string): string {
  let name = textNames.get(text);
  if (!name) {
    name = `inv_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    // A bounded map: texts differ by schema only, and a process serves few tenants at once.
    if (textNames.size > 10_000) textNames.clear();
    textNames.set(text, name);
  }
  return name;
}

export async function runPrepared<R>(
  ex: Executor,
  schema: string,
  statement: RawBuilder<unknown>,
): Promise<QueryResult<R>> {
  const { text, params } = compile(statement);
  const classes = await sizeClassOf(ex, schema);
  return ex.query<R>(text, params, { name: `${nameOf(text)}_${classes}` });
}
