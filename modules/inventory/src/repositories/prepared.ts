/**
 * How the posting path sends its hot statements. They were named prepared statements (parsed and
 * planned once per connection), but a plan made while the ledger was still empty and never analyzed
 * kept scanning the whole ledger once it had grown (one sequential scan per posting, 5 billion rows
 * read over a 100,000-move run; docs/benchmarks.md). Sent unnamed, each execution is planned against
 * the tables as they are now: a little planning per posting instead of a plan that goes stale.
 */
import { compile, type Executor, type QueryResult, type RawBuilder } from '@tenon/db';

export function runPrepared<R>(ex: Executor, statement: RawBuilder<unknown>): Promise<QueryResult<R>> {
  const { text, params } = compile(statement);
  return ex.query<R>(text, params);
}
