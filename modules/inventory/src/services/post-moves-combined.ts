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
import { AppError, newId } from '@tenon/core';
import type { Database, Executor } from '@tenon/db';
import { rememberFacts } from '../repositories/facts-cache.ts';
import { parsePostingFacts } from '../repositories/master-data.repository.ts';
import { claimWithFacts } from '../repositories/posting.repository.ts';
import { PostingRefused, writePostings } from './apply-posting.ts';
import type { PostMoveInput, PostMoveResult } from './post-stock-move.service.ts';
import { checkIds, factKeys, preparePosting } from './prepare-posting.ts';
import { runRevaluations } from './revalue-stock.service.ts';

type Request = {
  input: PostMoveInput;
  done: (r: PostMoveResult) => void;
  fail: (err: unknown) => void;
};
/** `workers` draining it, `busy` of them posting a group now. */
type Queue = { workers: number; busy: number; waiting: Request[] };
type Alone = (input: PostMoveInput) => Promise<PostMoveResult>;

/** A posting of a group refused (the group's transaction rolls back). */
class Refused extends Error {
  constructor(readonly request: Request) {
    super('a combined posting was refused');
  }
}

/** Postings per transaction at most. */
const BATCH = 64;
/**
 * Groups in flight at once per schema: while PostgreSQL writes one, this process prepares the
 * next, and the database's cores share the work.
 */
const WORKERS = 2;
/** Entries per revaluation chunk when a combined posting was back-dated. */
const CHUNK = 10_000;
/** Attempts at a group, each without the posting refused in the one before. */
const RETRIES = 3;
const queues = new WeakMap<Database, Map<string, Queue>>();

const combinable = (input: PostMoveInput) =>
  input.inlineRevaluation === undefined &&
  ['receipt', 'issue', 'scrap', 'adjustment'].includes(input.moveType) &&
  input.lines.every((l) => !l.serial && !l.reservation);

/** Posts `input`, combined with the postings waiting beside it when it can be; else `alone`. */
export function postCombined(db: Database, schema: string, input: PostMoveInput, alone: Alone) {
  checkIds(input);
  if (!combinable(input)) return alone(input);
  let bySchema = queues.get(db);
  if (!bySchema) {
    bySchema = new Map();
    queues.set(db, bySchema);
  }
  let queue = bySchema.get(schema);
  if (!queue) {
    queue = { workers: 0, busy: 0, waiting: [] };
    bySchema.set(schema, queue);
  }
  const q = queue;
  return new Promise<PostMoveResult>((done, fail) => {
    q.waiting.push({ input, done, fail });
    if (q.workers === 0) void work(db, schema, q, alone);
  });
}

async function work(db: Database, schema: string, q: Queue, alone: Alone) {
  q.workers++;
  try {
    for (;;) {
      // A turn of the event loop first, so that the callers answered by the last group (and any
      // others arriving now) join the next one.
      await new Promise((resolve) => setImmediate(resolve));
      if (q.waiting.length === 0) return;
      const batch = takeBatch(q.waiting, Math.ceil(q.waiting.length / (WORKERS - q.busy)));
      if (q.waiting.length > 0 && q.workers < WORKERS) void work(db, schema, q, alone);
      q.busy++;
      try {
        await postBatch(db, schema, batch, alone);
      } finally {
        q.busy--;
      }
    }
  } finally {
    q.workers--;
  }
}

async function postBatch(db: Database, schema: string, batch: Request[], alone: Alone) {
  if (batch.length === 1) {
    await alone(batch[0]!.input).then(batch[0]!.done, batch[0]!.fail);
    return;
  }
  const posted = await postGroup(db, schema, batch, alone);
  for (const r of posted.group) {
    const moveId = posted.moves.get(r);
    // Failed, or a replay: the single path gives this posting its own answer.
    if (moveId) r.done({ moveId, replayed: false });
    else alone(r.input).then(r.done, r.fail);
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
      alone(err.request.input).then(err.request.done, err.request.fail);
      group = group.filter((r) => r !== err.request);
    }
  }
  return { group, moves: new Map<Request, string>() };
}

/** The next postings to combine: at most `share` (and BATCH), each idempotency key once. */
function takeBatch(waiting: Request[], share: number): Request[] {
  const keys = new Set<string>();
  const batch: Request[] = [];
  for (let i = 0; i < waiting.length && batch.length < Math.min(share, BATCH); ) {
    const r = waiting[i]!;
    if (keys.has(r.input.idempotencyKey)) {
      i++;
      continue;
    }
    keys.add(r.input.idempotencyKey);
    batch.push(r);
    waiting.splice(i, 1);
  }
  return batch;
}

/** The group's postings in posting-date order (stable); answers the move id of each one posted. */
async function postGroupIn(tx: Executor, schema: string, batch: Request[]) {
  const ordered = batch
    .map((r) => ({ r, moveId: r.input.moveId ?? newId(), keys: factKeys(r.input) }))
    .sort((a, b) => a.r.input.postingDate.localeCompare(b.r.input.postingDate));
  const claim = await claimWithFacts(tx, schema, {
    claims: ordered.map((p) => ({
      moveId: p.moveId,
      key: p.r.input.idempotencyKey,
      moveType: p.r.input.moveType,
    })),
    warehouses: ordered.map((p) => p.keys.warehouse),
    items: ordered.flatMap((p) => p.keys.items),
    locations: ordered.flatMap((p) => p.keys.locations),
  });
  const fresh = ordered.filter((p) => claim.claimed.has(p.r.input.idempotencyKey));
  const writes = [];
  try {
    for (const p of fresh) {
      const facts = parsePostingFacts(claim.rows, p.keys);
      rememberFacts(schema, facts);
      writes.push(await preparePosting(tx, schema, { input: p.r.input, moveId: p.moveId, facts }));
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
