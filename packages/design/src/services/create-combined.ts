/**
 * Creates combined (decision 0053): one-statement creates of one entity waiting in this process while
 * earlier ones are in flight run as one statement, as a database batches commits. A numbering counter
 * is a row every create of its series locks until its commit; combined, the creates of a group take
 * consecutive numbers in their arrival order under one lock and one commit, instead of queueing on
 * it one commit at a time. Only creates that take the same counters (series and period) share a
 * statement. Each keeps its own id, audit entry, outbox event and answer. If the statement fails
 * (a unique or reference violation of one record), nothing of it is written and each half of the
 * group runs again on its own, down to the create that fails, so an error reaches only its own
 * caller; numbers stay gap-free either way.
 */
import { Combiner, type Waiting } from '@tenon/core';
import { type CreateEntry, counterKeys } from '../records/create-statement.ts';
import type { RecordData } from '../records/row-mapping.ts';
import type { CompiledEntity } from '../registry.ts';

type Request = { entry: CreateEntry; counters: string };
/** Runs one create statement for entries sharing their counters; answers them in order. */
type Insert = (entries: CreateEntry[]) => Promise<RecordData[]>;

const combiners = new WeakMap<CompiledEntity, Combiner<Request, RecordData>>();

/** Creates `entry` (defaults and formulas applied), combined with the creates waiting beside it. */
export function createCombined(
  entity: CompiledEntity,
  entry: CreateEntry,
  insert: Insert,
): Promise<RecordData> {
  // A number that cannot be formed is this create's own 422, before it joins anything.
  const counters = JSON.stringify(counterKeys(entity, entry));
  let combiner = combiners.get(entity);
  if (!combiner) {
    combiner = new Combiner<Request, RecordData>({
      // While PostgreSQL writes one statement, this process builds the next; but statements that
      // take a counter wait for each other's commit anyway, so there one takes every waiting create.
      workers: entity.sequences.length > 0 ? 1 : 2,
      max: 64,
      fits: (batch, candidate) => candidate.counters === batch[0]!.counters,
      run: (batch) => createBatch(batch, insert),
    });
    combiners.set(entity, combiner);
  }
  return combiner.add({ entry, counters });
}

/**
 * Runs a batch; if its statement fails, each half runs again on its own, down to the one create
 * that fails, which gets its error (the others still share statements).
 */
async function createBatch(batch: Waiting<Request, RecordData>[], insert: Insert): Promise<void> {
  try {
    const created = await insert(batch.map((w) => w.item.entry));
    for (const [i, w] of batch.entries()) w.done(created[i]!);
  } catch (err) {
    if (batch.length === 1) {
      batch[0]!.fail(err);
      return;
    }
    const half = Math.ceil(batch.length / 2);
    await createBatch(batch.slice(0, half), insert);
    await createBatch(batch.slice(half), insert);
  }
}
