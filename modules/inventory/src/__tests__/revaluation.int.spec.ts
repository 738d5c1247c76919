/**
 * Back-dated moves re-cost only the later entries: the value as of every date equals a FIFO (or
 * moving-average) replay in date order; an interrupted revaluation resumes and ends consistent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Decimal } from '@tenon/core';
import { sql } from '@tenon/db';
import fc from 'fast-check';
import { checkInventory, revalueChunkIn, runRevaluations, stockValueAsOf } from '../index.ts';
import { type Fixture, inventoryFixture } from './harness.ts';

type Move = { date: string; qty: number; cost?: number };

/** Reference: FIFO by date, value on hand after each date. */
function fifoByDate(moves: Move[], dates: string[]): Map<string, string> {
  const sorted = moves.map((m, i) => ({ ...m, i })).sort((a, b) => a.date.localeCompare(b.date) || a.i - b.i);
  const out = new Map<string, string>();
  for (const date of dates) {
    const layers: { q: Decimal; c: Decimal }[] = [];
    for (const m of sorted.filter((x) => x.date <= date)) {
      if (m.qty > 0) layers.push({ q: new Decimal(m.qty), c: new Decimal(m.cost!) });
      else {
        let left = new Decimal(-m.qty);
        for (const l of layers) {
          const q = Decimal.min(l.q, left);
          l.q = l.q.minus(q);
          left = left.minus(q);
        }
      }
    }
    out.set(date, layers.reduce((s, l) => s.plus(l.q.times(l.c)), new Decimal(0)).toFixed());
  }
  return out;
}

describe('back-dated revaluation', () => {
  let f: Fixture;
  before(async () => {
    f = await inventoryFixture();
  });
  after(() => f.s.close());

  let n = 0;
  const apply = (item: string, m: Move, extra: Record<string, unknown> = {}) =>
    m.qty > 0
      ? f.post(`k${++n}`, 'receipt', m.date, {
          item,
          toLocation: f.bins[0]!,
          quantity: String(m.qty),
          unitCost: String(m.cost),
        })
      : f.post(
          `k${++n}`,
          'issue',
          m.date,
          { item, fromLocation: f.bins[0]!, quantity: String(-m.qty) },
          extra,
        );
  const valueAsOf = async (item: string, date: string) => {
    const rows = await stockValueAsOf(f.s.db, f.schema, { asOf: date });
    return new Decimal(rows.find((r) => r.item === item)?.value ?? 0).toFixed();
  };
  const assertClean = async () => assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);

  it('a back-dated FIFO receipt re-costs the later issues', async () => {
    const item = await f.item();
    const moves: Move[] = [
      { date: '2026-01-01', qty: 10, cost: 1 },
      { date: '2026-01-05', qty: 10, cost: 3 },
      { date: '2026-01-06', qty: -5 },
      { date: '2026-01-08', qty: -8 },
      { date: '2026-01-10', qty: -4 },
      { date: '2026-01-03', qty: 10, cost: 2 },
    ];
    for (const m of moves) await apply(item, m);
    const dates = ['2026-01-01', '2026-01-03', '2026-01-05', '2026-01-06', '2026-01-08', '2026-01-10'];
    const expected = fifoByDate(moves, dates);
    assert.deepEqual([...expected.values()], ['10', '30', '60', '55', '44', '36']);
    for (const d of dates) assert.equal(await valueAsOf(item, d), expected.get(d), d);
    await assertClean();
  });

  it('a back-dated moving-average receipt re-costs the later issues', async () => {
    const item = await f.item({ valuation_method: 'moving_average' });
    const moves: Move[] = [
      { date: '2026-01-01', qty: 10, cost: 1 },
      { date: '2026-01-05', qty: -5 },
      { date: '2026-01-07', qty: 10, cost: 4 },
      { date: '2026-01-09', qty: -5 },
    ];
    for (const m of moves) await apply(item, m);
    assert.equal(await valueAsOf(item, '2026-01-09'), '30');
    await apply(item, { date: '2026-01-03', qty: 10, cost: 4 });
    const values = [];
    for (const d of ['2026-01-03', '2026-01-05', '2026-01-07', '2026-01-09'])
      values.push(await valueAsOf(item, d));
    assert.deepEqual(values, ['50', '37.5', '77.5', '62']);
    await assertClean();
  });

  it('an interrupted revaluation resumes from its cursor and ends consistent', async () => {
    const item = await f.item();
    const moves: Move[] = [{ date: '2026-02-01', qty: 100, cost: 1 }];
    for (let day = 2; day <= 25; day++) {
      const date = `2026-02-${String(day).padStart(2, '0')}`;
      moves.push(day % 5 === 0 ? { date, qty: 20, cost: day } : { date, qty: -3 });
    }
    for (const m of moves) await apply(item, m);
    const late: Move = { date: '2026-02-01', qty: 50, cost: 7 };
    moves.push(late);
    const r = (await f.post(
      `k${++n}`,
      'receipt',
      late.date,
      {
        item,
        toLocation: f.bins[0]!,
        quantity: '50',
        unitCost: '7',
      },
      { inlineRevaluation: 0 },
    )) as { revaluations?: string[] };
    const job = r.revaluations?.[0];
    assert.ok(job, JSON.stringify(r));
    const progress = async () =>
      (
        await f.s.db.run<{ entries_done: number; status: string }>(
          sql`SELECT entries_done, status FROM ${sql.id(f.schema, 'inv_revaluation')} WHERE id = ${job}::uuid`,
        )
      ).rows[0]!;
    assert.deepEqual(await runRevaluations(f.s.db, f.schema, { chunkSize: 7, maxChunks: 2 }), {
      chunks: 2,
      finished: 0,
      pending: 1,
    });
    assert.equal(Number((await progress()).entries_done), 14);
    // A chunk that dies half-way leaves nothing behind.
    await assert.rejects(
      f.s.db.transaction(async (tx) => {
        await revalueChunkIn(tx, f.schema, job, 7);
        throw new Error('killed');
      }),
      /killed/,
    );
    assert.equal(Number((await progress()).entries_done), 14);
    const listed = await f.s.call('GET', '/api/v1/inventory/revaluations?status=pending');
    assert.equal(listed.body.data.items[0].entriesDone, 14);
    const rest = await runRevaluations(f.s.db, f.schema, { chunkSize: 7 });
    assert.equal(rest.finished, 1);
    const again = await f.s.call('POST', '/api/v1/inventory/revaluations/run', {});
    assert.deepEqual(again.body.data, { chunks: 0, finished: 0, pending: 0 });
    assert.equal((await progress()).status, 'done');
    const dates = moves.map((m) => m.date).filter((d, i, a) => a.indexOf(d) === i);
    const expected = fifoByDate(moves, dates);
    for (const d of dates) assert.equal(await valueAsOf(item, d), expected.get(d), d);
    await assertClean();
  });

  it('property: after random back-dated receipts the value as of every date is the FIFO replay', async () => {
    const op = fc.record({
      receipt: fc.boolean(),
      day: fc.integer({ min: 1, max: 15 }),
      qty: fc.integer({ min: 1, max: 20 }),
      cost: fc.integer({ min: 0, max: 99 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 2, maxLength: 12 }), async (ops) => {
        const item = await f.item();
        const moves: Move[] = [];
        let last = '2026-03-01';
        let onHand = 0;
        for (const o of ops) {
          // Receipts land on any day (often before later entries); issues on the latest day, from stock.
          const m: Move = o.receipt
            ? { date: `2026-03-${String(o.day).padStart(2, '0')}`, qty: o.qty, cost: o.cost }
            : { date: last, qty: -Math.min(o.qty, onHand) };
          if (m.qty === 0) continue;
          if (m.date > last) last = m.date;
          onHand += m.qty;
          moves.push(m);
          await apply(item, m);
        }
        const dates = [...new Set(moves.map((m) => m.date))].sort();
        const expected = fifoByDate(moves, dates);
        for (const d of dates) assert.equal(await valueAsOf(item, d), expected.get(d), d);
      }),
      { seed: Number(process.env.FUZZ_SEED ?? 7), numRuns: Number(process.env.FUZZ_RUNS ?? 15) },
    );
    await assertClean();
  });
});
