/**
 * Bulk import: many receipts and issues in batches give the same ledger values as posting them one
 * by one; re-running is a replay; a refused move refuses its batch only; back-dated batches revalue.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AppError, Decimal } from '@tenon/core';
import { type BulkMove, bulkPostMoves, checkInventory, postStockMove, stockValueAsOf } from '../index.ts';
import { type Fixture, inventoryFixture } from './harness.ts';

describe('bulk import of moves', () => {
  let f: Fixture;
  before(async () => {
    f = await inventoryFixture();
  });
  after(() => f.s.close());

  /** A deterministic mix: 3 receipts then 1 issue per item, two bins, costs varying. */
  const script = (
    items: string[],
    n: number,
    prefix: string,
    date = (i: number) => `2026-04-${String(1 + (i % 20)).padStart(2, '0')}`,
  ) =>
    Array.from({ length: n }, (_, i): BulkMove => {
      const item = items[i % items.length]!;
      const bin = f.bins[i % 2]!;
      const receipt = Math.floor(i / items.length) % 4 !== 3;
      return {
        idempotencyKey: `${prefix}-${i}`,
        moveType: receipt ? 'receipt' : 'issue',
        warehouse: f.warehouse,
        postingDate: date(Math.floor(i / items.length)),
        lines: [
          receipt
            ? { item, toLocation: bin, quantity: String(2 + (i % 5)), unitCost: String(1 + (i % 7)) }
            : { item, fromLocation: bin, quantity: '1' },
        ],
      };
    });
  const values = async (items: string[]) => {
    const rows = await stockValueAsOf(f.s.db, f.schema, { asOf: '2026-12-31' });
    return items.map((id) => {
      const r = rows.find((x) => x.item === id);
      return [new Decimal(r?.quantity ?? 0).toFixed(), new Decimal(r?.value ?? 0).toFixed()];
    });
  };

  it('posts in batches with the values of one-by-one postings, and replays on a re-run', async () => {
    const bulkItems = [await f.item(), await f.item({ valuation_method: 'moving_average' })];
    const singleItems = [await f.item(), await f.item({ valuation_method: 'moving_average' })];
    const date = () => '2026-04-01';
    const r = await bulkPostMoves(f.s.db, f.schema, {
      moves: script(bulkItems, 240, 'bulk', date),
      batchSize: 50,
    });
    // Two items apart: on PostgreSQL the import runs in two lanes of 120 moves (3 batches each).
    const batches = f.s.db.kind === 'postgres' ? 6 : 5;
    assert.deepEqual(r, { posted: 240, replayed: 0, batches, revaluations: 0 });
    for (const m of script(singleItems, 240, 'single', date)) await postStockMove(f.s.db, f.schema, m);
    assert.deepEqual(await values(bulkItems), await values(singleItems));
    const again = await bulkPostMoves(f.s.db, f.schema, {
      moves: script(bulkItems, 240, 'bulk', date),
      batchSize: 100,
    });
    assert.equal(again.posted, 0);
    assert.equal(again.replayed, 240);
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });

  it('refuses a batch with a move that would oversell, naming the move, and writes nothing of it', async () => {
    const item = await f.item();
    const moves: BulkMove[] = [
      {
        idempotencyKey: 'ok-1',
        moveType: 'receipt',
        warehouse: f.warehouse,
        postingDate: '2026-04-01',
        lines: [{ item, toLocation: f.bins[0]!, quantity: '5', unitCost: '1' }],
      },
      {
        idempotencyKey: 'bad-1',
        moveType: 'issue',
        warehouse: f.warehouse,
        postingDate: '2026-04-01',
        lines: [{ item, fromLocation: f.bins[0]!, quantity: '9' }],
      },
    ];
    const r = await f.s.call('POST', '/api/v1/inventory/moves/bulk', { moves });
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'INVENTORY_INSUFFICIENT_STOCK');
    assert.equal(r.body.error.details[0].field, 'moves.1');
    assert.deepEqual(await values([item]), [['0', '0']]);
    const bad = await f.s.call('POST', '/api/v1/inventory/moves/bulk', {
      moves: [{ ...moves[0], moveType: 'transfer' }],
    });
    assert.equal(bad.status, 400);
    // Malformed lines in an import large enough for two lanes (batches of 1): a 400, nothing written.
    const malformed = await f.s.call('POST', '/api/v1/inventory/moves/bulk', {
      moves: [null, 'x', { item: 5 }, {}].map((line, i) => ({
        ...moves[0],
        idempotencyKey: `mal-${i}`,
        lines: [line],
      })),
      batchSize: 1,
    });
    assert.equal(malformed.status, 400, JSON.stringify(malformed.body));
    const wrongItems = await f.s.call('POST', '/api/v1/inventory/moves/bulk', {
      moves: [{ item: 5 }, {}, { item: [] }, { item: 'not-an-id' }].map((line, i) => ({
        ...moves[0],
        idempotencyKey: `wrong-${i}`,
        lines: [line],
      })),
      batchSize: 1,
    });
    assert.equal(wrongItems.status, 400, JSON.stringify(wrongItems.body));
    assert.deepEqual(await values([item]), [['0', '0']]);
    const ok = await f.s.call('POST', '/api/v1/inventory/moves/bulk', { moves: [moves[0]] });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.data.posted, 1);
  });

  it('a back-dated batch queues and runs the revaluation of later entries', async () => {
    const item = await f.item();
    const single = await f.item();
    const later = script([item], 12, 'late', (i) => `2026-05-${String(10 + i).padStart(2, '0')}`);
    await bulkPostMoves(f.s.db, f.schema, { moves: later });
    const early: BulkMove = {
      idempotencyKey: 'early',
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-05-01',
      lines: [{ item, toLocation: f.bins[0]!, quantity: '10', unitCost: '0.5' }],
    };
    const r = await bulkPostMoves(f.s.db, f.schema, { moves: [early] });
    assert.equal(r.revaluations, 1);
    // Reference: the same moves posted in date order.
    const twin = (m: BulkMove, key: string): BulkMove => ({
      ...m,
      idempotencyKey: key,
      lines: m.lines.map((l) => ({ ...l, item: single })),
    });
    await postStockMove(f.s.db, f.schema, twin(early, 'twin-early'));
    for (const [i, m] of later.entries()) await postStockMove(f.s.db, f.schema, twin(m, `twin-${i}`));
    assert.deepEqual(await values([item]), await values([single]));
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });

  it('FIFO takes the oldest of more than ten layers (layer order is numeric)', async () => {
    const item = await f.item();
    for (let i = 1; i <= 12; i++)
      await f.post(`ten-${i}`, 'receipt', '2026-06-01', {
        item,
        toLocation: f.bins[0]!,
        quantity: '1',
        unitCost: String(i),
      });
    await f.post('ten-out', 'issue', '2026-06-01', { item, fromLocation: f.bins[0]!, quantity: '2' });
    await bulkPostMoves(f.s.db, f.schema, {
      moves: [
        {
          idempotencyKey: 'ten-bulk',
          moveType: 'issue',
          warehouse: f.warehouse,
          postingDate: '2026-06-01',
          lines: [{ item, fromLocation: f.bins[0]!, quantity: '1' }],
        },
      ],
    });
    // 1 + 2 left first, then 3: 78 - 6 = 72.
    assert.deepEqual(await values([item]), [['9', '72']]);
  });

  it('an issue that needs more layers than the first ones read takes them all, in order', async () => {
    // 100 layers of 1 at costs 1..100: a single issue of 20 (more than the 16 read first), then a
    // bulk issue of 70 (more than the 64 read first per item) in one batch with a receipt.
    const item = await f.item();
    await bulkPostMoves(f.s.db, f.schema, {
      moves: Array.from({ length: 100 }, (_, i) => ({
        idempotencyKey: `many-${i}`,
        moveType: 'receipt' as const,
        warehouse: f.warehouse,
        postingDate: '2026-07-01',
        lines: [{ item, toLocation: f.bins[0]!, quantity: '1', unitCost: String(i + 1) }],
      })),
    });
    await f.post('many-out', 'issue', '2026-07-01', { item, fromLocation: f.bins[0]!, quantity: '20' });
    // 5050 in all, 210 (1..20) gone.
    assert.deepEqual(await values([item]), [['80', '4840']]);
    await bulkPostMoves(f.s.db, f.schema, {
      moves: [
        {
          idempotencyKey: 'many-in',
          moveType: 'receipt',
          warehouse: f.warehouse,
          postingDate: '2026-07-01',
          lines: [{ item, toLocation: f.bins[0]!, quantity: '1', unitCost: '1000' }],
        },
        {
          idempotencyKey: 'many-bulk-out',
          moveType: 'issue',
          warehouse: f.warehouse,
          postingDate: '2026-07-01',
          lines: [{ item, fromLocation: f.bins[0]!, quantity: '70' }],
        },
      ],
    });
    // 21..90 gone (3885); 91..100 (955) and the new 1000 left.
    assert.deepEqual(await values([item]), [['11', '1955']]);
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });

  it('a refused batch stops the import: earlier batches stay, later ones (already started) roll back', async () => {
    const item = await f.item();
    const receipt = (key: string, quantity = '1'): BulkMove => ({
      idempotencyKey: key,
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-08-01',
      lines: [{ item, toLocation: f.bins[0]!, quantity, unitCost: '2' }],
    });
    const oversell: BulkMove = {
      idempotencyKey: 'stop-bad',
      moveType: 'issue',
      warehouse: f.warehouse,
      postingDate: '2026-08-01',
      lines: [{ item, fromLocation: f.bins[0]!, quantity: '100' }],
    };
    // Batches of 5: the 2nd holds the refused move (index 7), the 3rd and 4th come after it.
    const moves = Array.from({ length: 20 }, (_, i) => (i === 7 ? oversell : receipt(`stop-${i}`)));
    await assert.rejects(bulkPostMoves(f.s.db, f.schema, { moves, batchSize: 5 }), (err: AppError) => {
      assert.equal(err.code, 'INVENTORY_INSUFFICIENT_STOCK');
      assert.equal(err.details[0]!.field, 'moves.7');
      return true;
    });
    assert.deepEqual(await values([item]), [['5', '10']]);
    // A re-run without the bad move posts the rest and replays the first batch.
    const again = await bulkPostMoves(f.s.db, f.schema, {
      moves: moves.filter((_, i) => i !== 7),
      batchSize: 5,
    });
    assert.deepEqual([again.posted, again.replayed], [14, 5]);
    assert.deepEqual(await values([item]), [['19', '38']]);
    // The first batch refused: nothing is posted, whatever the batches in flight after it.
    const other = await f.item();
    const first: BulkMove[] = [
      {
        ...oversell,
        idempotencyKey: 'first-bad',
        lines: [{ item: other, fromLocation: f.bins[0]!, quantity: '1' }],
      },
      ...Array.from({ length: 9 }, (_, i) => ({
        ...receipt(`first-${i}`),
        lines: [{ ...receipt('x').lines[0]!, item: other }],
      })),
    ];
    await assert.rejects(bulkPostMoves(f.s.db, f.schema, { moves: first, batchSize: 3 }));
    assert.deepEqual(await values([other]), [['0', '0']]);
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });

  it('a key repeated in the next batch is posted once (batches sharing keys run in turn)', async () => {
    const item = await f.item();
    const move = (key: string): BulkMove => ({
      idempotencyKey: key,
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-08-02',
      lines: [{ item, toLocation: f.bins[1]!, quantity: '3', unitCost: '1.5' }],
    });
    const r = await bulkPostMoves(f.s.db, f.schema, {
      moves: [move('dup-a'), move('dup-b'), move('dup-c'), move('dup-a'), move('dup-d'), move('dup-b')],
      batchSize: 2,
    });
    assert.deepEqual(r, { posted: 4, replayed: 2, batches: 3, revaluations: 0 });
    assert.deepEqual(await values([item]), [['12', '18']]);
  });

  it('lanes: items apart post side by side with the values of one-by-one postings', async () => {
    const bulk = [
      await f.item(),
      await f.item(),
      await f.item(),
      await f.item({ valuation_method: 'moving_average' }),
    ];
    const single = [
      await f.item(),
      await f.item(),
      await f.item(),
      await f.item({ valuation_method: 'moving_average' }),
    ];
    const moves = (items: string[], prefix: string): BulkMove[] => [
      ...script(items, 160, prefix),
      // One receipt naming the last two items joins them in one lane.
      {
        idempotencyKey: `${prefix}-joined`,
        moveType: 'receipt',
        warehouse: f.warehouse,
        postingDate: '2026-04-10',
        lines: [
          { item: items[2]!, toLocation: f.bins[0]!, quantity: '4', unitCost: '3.5' },
          { item: items[3]!, toLocation: f.bins[1]!, quantity: '6', unitCost: '1.25' },
        ],
      },
    ];
    const r = await bulkPostMoves(f.s.db, f.schema, { moves: moves(bulk, 'lane'), batchSize: 10, lanes: 2 });
    assert.deepEqual([r.posted, r.replayed, r.revaluations], [161, 0, 0]);
    const ordered = moves(single, 'one-lane')
      .map((m, i) => ({ m, i }))
      .sort((a, b) =>
        a.m.postingDate < b.m.postingDate ? -1 : a.m.postingDate > b.m.postingDate ? 1 : a.i - b.i,
      );
    for (const { m } of ordered) await postStockMove(f.s.db, f.schema, m);
    assert.deepEqual(await values(bulk), await values(single));
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });

  it('lanes: a refusal in one lane stops the import with its error; a re-run posts the rest once', async () => {
    const [a, b] = [await f.item(), await f.item()];
    const receipt = (key: string, item: string): BulkMove => ({
      idempotencyKey: key,
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-08-03',
      lines: [{ item, toLocation: f.bins[0]!, quantity: '2', unitCost: '3' }],
    });
    const moves: BulkMove[] = Array.from({ length: 60 }, (_, i) => receipt(`lane-stop-${i}`, i % 2 ? b : a));
    moves.splice(31, 0, {
      idempotencyKey: 'lane-stop-bad',
      moveType: 'issue',
      warehouse: f.warehouse,
      postingDate: '2026-08-03',
      lines: [{ item: a, fromLocation: f.bins[0]!, quantity: '1000' }],
    });
    await assert.rejects(
      bulkPostMoves(f.s.db, f.schema, { moves, batchSize: 5, lanes: 2 }),
      (err: AppError) => {
        assert.equal(err.code, 'INVENTORY_INSUFFICIENT_STOCK');
        assert.equal(err.details[0]!.field, 'moves.31');
        return true;
      },
    );
    const again = await bulkPostMoves(f.s.db, f.schema, {
      moves: moves.filter((_, i) => i !== 31),
      batchSize: 5,
      lanes: 2,
    });
    assert.equal(again.posted + again.replayed, 60);
    assert.ok(again.replayed >= 5, 'the batches before the refusal stayed posted');
    assert.deepEqual(await values([a, b]), [
      ['60', '180'],
      ['60', '180'],
    ]);
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });
});
