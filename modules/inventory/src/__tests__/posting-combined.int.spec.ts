/**
 * Postings combined (decision 0069): concurrent single postings share transactions, yet each keeps
 * its own answer. A refused one reaches only its caller, replays and repeated keys answer with the
 * first posting, back-dated ones are valued in posting-date order, and the ledger stays consistent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError } from '@tenon/core';
import { checkInventory, postStockMove, stockValueAsOf } from '../index.ts';
import { type Fixture, inventoryFixture } from './harness.ts';

type Outcome = { ok: true; moveId: string; replayed: boolean } | { ok: false; code: string };

describe('combined postings', () => {
  let f: Fixture;
  before(async () => {
    f = await inventoryFixture({ poolSize: 8 });
  });
  after(() => f.s.close());

  const settle = (p: Promise<unknown>): Promise<Outcome> =>
    p.then(
      (r) => ({ ok: true as const, ...(r as { moveId: string; replayed: boolean }) }),
      (err: unknown) => {
        if (!(err instanceof AppError)) throw err;
        return { ok: false as const, code: err.code };
      },
    );
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await f.s.db.query<{ n: string }>(sql, params)).rows[0]!.n);

  it('posts a burst in shared transactions; a refusal and a replay answer only their callers', async () => {
    const items = [await f.item(), await f.item(), await f.item({ valuation_method: 'moving_average' })];
    const seed = await settle(
      f.post('seed', 'receipt', '2026-02-01', {
        item: items[0]!,
        toLocation: f.bins[0]!,
        quantity: '5',
        unitCost: '1',
      }),
    );
    assert.ok(seed.ok);
    const burst: Promise<Outcome>[] = [];
    for (let i = 0; i < 40; i++) {
      // An issue takes from where the receipt just before it went (3 receipts : 1 issue).
      const slot = i % 4 === 3 ? i - 1 : i;
      const item = items[slot % 3]!;
      const bin = f.bins[slot % 2]!;
      burst.push(
        settle(
          i % 4 === 3
            ? f.post(`b-${i}`, 'issue', '2026-02-02', { item, fromLocation: bin, quantity: '1' })
            : f.post(`b-${i}`, 'receipt', '2026-02-02', {
                item,
                toLocation: bin,
                quantity: '3',
                unitCost: '2.50',
              }),
        ),
      );
      if (i === 20) {
        // Far more than anything in stock: refused, alone.
        burst.push(
          settle(f.post('too-much', 'issue', '2026-02-02', { item, fromLocation: bin, quantity: '100000' })),
        );
        // The seed's key again (a replay), and one key twice in the same burst.
        burst.push(
          settle(
            f.post('seed', 'receipt', '2026-02-01', {
              item: items[0]!,
              toLocation: f.bins[0]!,
              quantity: '5',
              unitCost: '1',
            }),
          ),
        );
        for (let k = 0; k < 2; k++)
          burst.push(
            settle(
              f.post('twice', 'receipt', '2026-02-02', {
                item,
                toLocation: bin,
                quantity: '1',
                unitCost: '1',
              }),
            ),
          );
      }
    }
    const outcomes = await Promise.all(burst);
    const refused = outcomes.filter((o) => !o.ok);
    assert.deepEqual(refused, [{ ok: false, code: 'INVENTORY_INSUFFICIENT_STOCK' }]);
    const replay = outcomes[22] as Extract<Outcome, { ok: true }>;
    assert.deepEqual(replay, { ok: true, moveId: (seed as { moveId: string }).moveId, replayed: true });
    const twice = outcomes.slice(23, 25) as Extract<Outcome, { ok: true }>[];
    assert.equal(twice[0]!.moveId, twice[1]!.moveId);
    assert.deepEqual(twice.map((t) => t.replayed).sort(), [false, true]);

    const s = `"${f.schema}"`;
    // 1 seed + 40 + 1 (the key posted twice): each once in the ledger, each with one event.
    assert.equal(await count(`SELECT count(DISTINCT move_id) AS n FROM ${s}.inv_ledger`), 42);
    assert.equal(
      await count(`SELECT count(*) AS n FROM ${s}._outbox WHERE topic = 'inventory.stock_move.posted'`),
      42,
    );
    // Shared transactions: fewer than one per move.
    const transactions = await count(`SELECT count(DISTINCT xmin::text) AS n FROM ${s}.inv_ledger`);
    assert.ok(transactions < 42, `${transactions} transactions for 42 moves`);
    const check = await checkInventory(f.s.db, f.schema);
    assert.deepEqual(check.drift, []);
  });

  it('values concurrent postings of one FIFO item in posting-date order', async () => {
    const item = await f.item();
    const bin = f.bins[2]!;
    const first = await settle(
      f.post('d-3', 'receipt', '2026-03-03', { item, toLocation: bin, quantity: '10', unitCost: '3' }),
    );
    assert.ok(first.ok);
    // An issue and an earlier-dated receipt at once: whether they share a group or not, the issue
    // takes the earliest layer (grouped postings are valued in date order; alone, the back-dated
    // receipt revalues the issue).
    const outcomes = await Promise.all([
      settle(f.post('d-4', 'issue', '2026-03-04', { item, fromLocation: bin, quantity: '5' })),
      settle(
        f.post('d-1', 'receipt', '2026-03-01', { item, toLocation: bin, quantity: '10', unitCost: '1' }),
      ),
    ]);
    assert.ok(
      outcomes.every((o) => o.ok),
      JSON.stringify(outcomes),
    );
    // 10 @ 1 + 10 @ 3 - 5 @ 1 = 35.
    const value = await stockValueAsOf(f.s.db, f.schema, { asOf: '2026-03-31' });
    assert.equal(Number(value.find((v) => v.item === item)!.value), 35);
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });

  it('posts a refused posting alone: the others of its group are written', async () => {
    const item = await f.item();
    const bin = f.bins[0]!;
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        settle(
          i === 6
            ? postStockMove(f.s.db, f.schema, {
                idempotencyKey: 'r-bad',
                moveType: 'issue',
                warehouse: f.warehouse,
                postingDate: '2026-04-01',
                lines: [{ item, fromLocation: bin, quantity: '1000' }],
              })
            : f.post(`r-${i}`, 'receipt', '2026-04-01', {
                item,
                toLocation: bin,
                quantity: '1',
                unitCost: '1',
              }),
        ),
      ),
    );
    assert.equal(outcomes.filter((o) => o.ok).length, 11);
    assert.deepEqual(outcomes[6], { ok: false, code: 'INVENTORY_INSUFFICIENT_STOCK' });
    const onHand = await f.s.db.query<{ on_hand: string }>(
      `SELECT on_hand::text AS on_hand FROM "${f.schema}".inv_stock WHERE item_id = $1`,
      [item],
    );
    assert.equal(Number(onHand.rows[0]!.on_hand), 11);
    // The refused posting left no key behind: it can be posted once there is stock.
    const retried = await settle(
      postStockMove(f.s.db, f.schema, {
        idempotencyKey: 'r-bad',
        moveType: 'issue',
        warehouse: f.warehouse,
        postingDate: '2026-04-01',
        lines: [{ item, fromLocation: bin, quantity: '5' }],
      }),
    );
    assert.ok(retried.ok && !retried.replayed);
  });
});
