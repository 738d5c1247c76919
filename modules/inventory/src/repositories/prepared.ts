/**
 * Hot statements as named prepared statements (parsed and planned once per connection on
 * PostgreSQL): the statement is built with the `sql` tag as everywhere, and its compiled text gets
 * one name for the life of the process, so a name always identifies exactly one text.
 */
import { compile, type Executor, type QueryResult, type RawBuilder } from '@tenon/db';

const names = new Map<string, string>();

export function runPrepared<R>(ex: Executor, statement: RawBuilder<unknown>): Promise<QueryResult<R>> {
  const { text, params } = compile(statement);
  let name = names.get(text);
  if (!name) {
    name = `tenon_inv_${names.size + 1}`;
    names.set(text, name);
  }
  return ex.query<R>(text, params, { name });
}
