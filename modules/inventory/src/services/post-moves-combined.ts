/**
 * Postings combined (decision 0069): the single postings waiting in this process for one tenant
 * schema while an earlier one is in flight are posted together in one transaction, as a database
 * batches its commits. Each keeps its own idempotency key, move id, ledger rows, outbox event and
 * answer; they are checked and valued one after the other in posting-date order (the order the
 * ledger gives them), with the same statements a single posting uses over all their rows. If any
 * of them is refused, or the transaction fails, nothing of the group is written and each is posted
 * alone, so a refusal reaches only its own caller.
 *
 * Receipts, issues, scraps and adjustments without serials or reservations are combined; other
 * postings (and any that arrives while nothing is in flight) take the single path.
 */
import { AppError, Combiner, newId, type Waiting } from '@tenon/core';
import type { Database, Executor } from '@tenon/db';
import { rememberFacts } from '../repositories/facts-cache.ts';
import { parsePostingFacts } from '../repositories/master-data.repository.ts';
import { claimWithFacts } from '../repositories/posting.repository.ts';
import { PostingRefused, writePostings } from './apply-posting.ts';
import type { PostMoveInput, PostMoveResult } from './post-stock-move.service.ts';
import { checkIds, factKeys, preparePosting } from './prepare-posting.ts';
import { runRevaluations } from './revalue-stock.service.ts';

type Request = Waiting<PostMoveInput, PostMoveResult>;
type Alone = (input: PostMoveInput) => Promise<PostMoveResult>;

/** A posting of a group refused (the group's transaction rolls back). */
class Refused extends Error {
  constructor(readonly request: Request) {
    super('a combined posting was refused');
  }
}

/** Entries per revaluation chunk when a combined posting was back-dated. */
const CHUNK = 10_000;
/** Attempts at a group, each without the posting refused in the one before. */
const RETRIES = 3;
const combiners = new WeakMap<Database, Map<string, Combiner<PostMoveInput, PostMoveResult>>>();

const combinable = (input: PostMoveInput) =>
  input.inlineRevaluation === undefined &&
  ['receipt', 'issue', 'scrap', 'adjustment'].includes(input.moveType) &&
  input.lines.every((l) => !l.serial && !l.reservation);

/** Posts `input`, combined with the postings waiting beside it when it can be; else `alone`. */
export function postCombined(db: Database, schema: string, input: PostMoveInput, alone: Alone) {
  checkIds(input);
  if (!combinable(input)) return alone(input);
  let bySchema = combiners.get(db);
  if (!bySchema) {
    bySchema = new Map();
    combiners.set(db, bySchema);
  }
  let combiner = bySchema.get(schema);
  if (!combiner) {
    combiner = new Combiner<PostMoveInput, PostMoveResult>({
      // While PostgreSQL writes one group, this process prepares the next.
      workers: 2,
      max: 64,
      // Each idempotency key once per group (a repeat is a replay, answered after the first).
      fits: (batch, candidate) => batch.every((m) => m.idempotencyKey !== candidate.idempotencyKey),
      run: (batch) => postBatch(db, schema, batch, alone),
    });
    bySchema.set(schema, combiner);
  }
  return combiner.add(input);
}

async function postBatch(db: Database, schema: string, batch: Request[], alone: Alone) {
  if (batch.length === 1) {
    await alone(batch[0]!.item).then(batch[0]!.done, batch[0]!.fail);
    return;
  }
  const posted = await postGroup(db, schema, batch, alone);
  for (const r of posted.group) {
    const moveId = posted.moves.get(r);
    // Failed, or a replay: the single path gives this posting its own answer.
    if (moveId) r.done({ moveId, replayed: false });
    else alone(r.item).then(r.done, r.fail);
  }
}

/**
 * Posts a group in one transaction. A posting refused in it is posted alone (its caller gets the
 * refusal from there) and the group is tried again without it, a few times; after any other
 * failure every posting of the group is posted alone.
 */
async function postGroup(db: Database, schema: string, batch: Request[], alone: Alone) {
  let group = batch;
  for (let attempt = 0; attempt < RETRIES && group.length > 0; attempt++) {
    try {
      const posted = await db.transaction((tx) => postGroupIn(tx, schema, group));
      if (posted.jobs.length > 0) {
        // Pending jobs are resumed by the revaluation worker if this stops (decision 0016).
        await runRevaluations(db, schema, { jobs: posted.jobs, chunkSize: CHUNK }).catch(() => undefined);
      }
      return { group, moves: posted.moves };
    } catch (err) {
      if (!(err instanceof Refused)) break;
      alone(err.request.item).then(err.request.done, err.request.fail);
      group = group.filter((r) => r !== err.request);
    }
  }
  return { group, moves: new Map<Request, string>() };
}

/** The group's postings in posting-date order (stable); answers the move id of each one posted. */
async function postGroupIn(tx: Executor, schema: string, batch: Request[]) {
  const ordered = batch
    .map((r) => ({ r, moveId: r.item.moveId ?? newId(), keys: factKeys(r.item) }))
    .sort((a, b) => a.r.item.postingDate.localeCompare(b.r.item.postingDate));
  const claim = await claimWithFacts(tx, schema, {
    claims: ordered.map((p) => ({
      moveId: p.moveId,
      key: p.r.item.idempotencyKey,
      moveType: p.r.item.moveType,
    })),
    warehouses: ordered.map((p) => p.keys.warehouse),
    items: ordered.flatMap((p) => p.keys.items),
    locations: ordered.flatMap((p) => p.keys.locations),
  });
  const fresh = ordered.filter((p) => claim.claimed.has(p.r.item.idempotencyKey));
  const writes = [];
  try {
    for (const p of fresh) {
      const facts = parsePostingFacts(claim.rows, p.keys);
      rememberFacts(schema, facts);
      writes.push(await preparePosting(tx, schema, { input: p.r.item, moveId: p.moveId, facts }));
    }
    const jobs = writes.length > 0 ? await writePostings(tx, schema, writes) : [];
    return { moves: new Map(fresh.map((p) => [p.r, p.moveId])), jobs };
  } catch (err) {
    // The posting a refusal belongs to: named by writePostings, or the one being prepared.
    const moveId =
      err instanceof PostingRefused
        ? err.moveId
        : err instanceof AppError
          ? fresh[writes.length]?.moveId
          : null;
    const refused = fresh.find((p) => p.moveId === moveId);
    throw refused ? new Refused(refused.r) : err;
  }
}
