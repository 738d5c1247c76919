/**
 * The background revaluation runner: a back-dated move whose revaluation was left pending is
 * finished while the server runs, with nobody calling `tenon inventory revalue`; two runners (two
 * instances) working at once finish it exactly once (no entry corrected twice).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInventory, postStockMove, startRevaluationWorker, stockValueAsOf } from '../index.ts';
import { type Fixture, inventoryFixture } from './harness.ts';

describe('revaluation worker', () => {
  let f: Fixture;
  before(async () => {
    f = await inventoryFixture();
  });
  after(() => f.s.close());

  const pending = async (item: string) =>
    (
      await f.s.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${f.schema}".inv_revaluation WHERE item_id = $1 AND status = 'pending'`,
        [item],
      )
    ).rows[0]!.n;

  it('two runners finish a pending back-dated revaluation once', async () => {
    const item = await f.item();
    const at = (day: number) => `2026-02-${String(day).padStart(2, '0')}`;
    // 10 @ 1 on day 1, then 30 issues of 1 on days 10..25 (valued at 1 each at posting time).
    await f.post('w-r1', 'receipt', at(1), {
      item,
      toLocation: f.bins[0]!,
      quantity: '10',
      unitCost: '1',
    });
    await f.post('w-r2', 'receipt', at(2), {
      item,
      toLocation: f.bins[0]!,
      quantity: '30',
      unitCost: '4',
    });
    for (let i = 0; i < 30; i++)
      await f.post(`w-i${i}`, 'issue', at(10 + Math.floor(i / 2)), {
        item,
        fromLocation: f.bins[0]!,
        quantity: '1',
      });
    // Back-dated receipt before everything: FIFO now issues it first. Its revaluation is left
    // pending, as when the process stops right after the posting.
    const back = await postStockMove(f.s.db, f.schema, {
      idempotencyKey: 'w-back',
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-01-15',
      lines: [{ item, toLocation: f.bins[0]!, quantity: '20', unitCost: '2' }],
      inlineRevaluation: 0,
    });
    assert.equal(back.revaluations?.length, 1);
    assert.equal(await pending(item), 1);

    const logged: string[] = [];
    const schemas = async () => [f.schema, 'no_such_schema'];
    // Chunks of 4 entries, one per round: both runners meet on the same job several times.
    const workers = [1, 2].map(() =>
      startRevaluationWorker(f.s.db, {
        schemas,
        intervalMs: 20,
        maxChunks: 1,
        chunkSize: 4,
        log: (m) => logged.push(m),
      }),
    );
    const deadline = Date.now() + 20_000;
    while ((await pending(item)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await Promise.all(workers.map((w) => w.stop()));
    assert.equal(await pending(item), 0, 'the job is finished by the runners');
    const { rows: job } = await f.s.db.query<{ entries_done: number }>(
      `SELECT entries_done FROM "${f.schema}".inv_revaluation WHERE item_id = $1`,
      [item],
    );
    // The back-dated receipt itself, the 2 receipts and 30 issues after it.
    assert.equal(job[0]!.entries_done, 33, 'each entry replayed once');
    assert.ok(logged.includes('inventory revaluations resumed'));
    assert.ok(!logged.includes('inventory revaluation round failed'), logged.join(', '));

    // FIFO by date: 20 @ 2 (Jan 15), 10 @ 1, 30 @ 4; 30 issued -> 20 @ 2 and 10 @ 1 gone, 30 @ 4 left.
    const rows = await stockValueAsOf(f.s.db, f.schema, { asOf: '2026-03-01' });
    assert.equal(Number(rows.find((r) => r.item === item)?.value), 120);
    const { rows: twice } = await f.s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT source_id FROM "${f.schema}".inv_ledger
         WHERE item_id = $1 AND move_type = 'revaluation' GROUP BY source_id HAVING count(*) > 1) x`,
      [item],
    );
    assert.equal(twice[0]!.n, 0, 'no entry is corrected twice');
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });
});
