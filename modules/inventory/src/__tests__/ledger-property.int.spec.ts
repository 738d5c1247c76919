/**
 * Property: any random sequence of receipts, issues, transfers, adjustments, scraps and
 * cancellations keeps on-hand = sum of the ledger, value = sum of the FIFO layers, and no balance
 * negative in a warehouse that forbids it. Fixed seed; FUZZ_SEED / FUZZ_RUNS explore further.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isAppError } from '@tenon/core';
import fc from 'fast-check';
import { checkInventory, postStockMove, reverseStockMove } from '../index.ts';
import { type Fixture, inventoryFixture } from './harness.ts';

type Op =
  | { kind: 'receipt'; item: number; to: number; qty: number; cost: number }
  | { kind: 'issue' | 'scrap'; item: number; from: number; qty: number }
  | { kind: 'transfer'; item: number; from: number; to: number; qty: number }
  | { kind: 'adjust'; item: number; at: number; qty: number; up: boolean }
  | { kind: 'cancel'; back: number };

const qty = fc.integer({ min: 1, max: 40 }).map((n) => n / 4);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('receipt' as const),
    item: fc.nat(1),
    to: fc.nat(2),
    qty,
    cost: fc.integer({ min: 0, max: 999 }),
  }),
  fc.record({
    kind: fc.constantFrom('issue' as const, 'scrap' as const),
    item: fc.nat(1),
    from: fc.nat(2),
    qty,
  }),
  fc.record({ kind: fc.constant('transfer' as const), item: fc.nat(1), from: fc.nat(2), to: fc.nat(2), qty }),
  fc.record({ kind: fc.constant('adjust' as const), item: fc.nat(1), at: fc.nat(2), qty, up: fc.boolean() }),
  fc.record({ kind: fc.constant('cancel' as const), back: fc.nat(5) }),
);

describe('ledger invariants under random moves', () => {
  let f: Fixture;
  before(async () => {
    f = await inventoryFixture();
  });
  after(() => f.s.close());

  it('keeps balances, valuation and layers equal to the ledger', async () => {
    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261126;
    const runs = 12 * (process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 1);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        run++;
        const items = [await f.item(), await f.item({ valuation_method: 'moving_average' })];
        const posted: string[] = [];
        for (const [i, o] of ops.entries()) {
          const key = `p${run}-${i}`;
          const bin = (n: number) => f.bins[n]!;
          const base = { idempotencyKey: key, warehouse: f.warehouse, postingDate: '2026-02-01' };
          try {
            if (o.kind === 'cancel') {
              const target = posted[posted.length - 1 - o.back];
              if (target)
                await reverseStockMove(f.s.db, f.schema, { moveId: target, postingDate: '2026-02-02' });
              continue;
            }
            const item = items[o.item]!;
            const q = String(o.qty);
            const line =
              o.kind === 'receipt'
                ? { item, toLocation: bin(o.to), quantity: q, unitCost: (o.cost / 100).toFixed(2) }
                : o.kind === 'transfer'
                  ? { item, fromLocation: bin(o.from), toLocation: bin(o.to), quantity: q }
                  : o.kind === 'adjust'
                    ? { item, [o.up ? 'toLocation' : 'fromLocation']: bin(o.at), quantity: q }
                    : { item, fromLocation: bin(o.from), quantity: q };
            const moveType = o.kind === 'adjust' ? 'adjustment' : o.kind;
            const r = await postStockMove(f.s.db, f.schema, { ...base, moveType, lines: [line] });
            posted.push(r.moveId);
          } catch (err) {
            if (!isAppError(err) || err.status >= 500) throw err;
          }
        }
        const report = await checkInventory(f.s.db, f.schema);
        assert.deepEqual(report.drift, []);
        const { rows } = await f.s.db.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM "${f.schema}".inv_balance WHERE on_hand < 0`,
        );
        assert.equal(rows[0]!.n, '0');
      }),
      { seed, numRuns: runs },
    );
  });
});
