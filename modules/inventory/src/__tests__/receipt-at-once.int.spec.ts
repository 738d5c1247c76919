/**
 * The one-statement receipt (decision 0018): a receipt whose master data this process has seen is
 * one statement; a replay answers the first posting; master data changed meanwhile (here by SQL, as
 * another instance would) is noticed by the statement, which writes nothing, and the full path
 * decides with the current facts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInventory, postStockMove } from '../index.ts';
import { type Fixture, inventoryFixture } from './harness.ts';

describe('one-statement receipt', () => {
  let f: Fixture;
  before(async () => {
    f = await inventoryFixture();
  });
  after(() => f.s.close());

  const receipt = (key: string, item: string, extra: Record<string, string> = {}) =>
    postStockMove(f.s.db, f.schema, {
      idempotencyKey: key,
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-03-01',
      lines: [{ item, toLocation: f.bins[0]!, quantity: '4', unitCost: '2.5', ...extra }],
    });
  const count = async (table: string, item: string) =>
    (
      await f.s.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${f.schema}".${table} WHERE item_id = $1`,
        [item],
      )
    ).rows[0]!.n;

  it('is one statement once the facts are known, and a replay answers the first posting', async () => {
    const item = await f.item();
    await receipt('once-1', item);
    const before = f.s.db.statementCount();
    const second = await receipt('once-2', item);
    assert.equal(f.s.db.statementCount() - before, 1);
    assert.equal(second.replayed, false);
    const again = await receipt('once-2', item);
    assert.deepEqual([again.moveId, again.replayed], [second.moveId, true]);
    assert.equal(await count('inv_ledger', item), 2);
    assert.equal(await count('inv_layer', item), 2);
    // Bad input is refused as by the full path, before any statement.
    const bad = await postStockMove(f.s.db, f.schema, {
      idempotencyKey: 'once-bad',
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '1 March',
      lines: [{ item, toLocation: f.bins[0]!, quantity: '4', unitCost: '2.5' }],
    }).catch((err) => err);
    assert.deepEqual([bad.code, bad.status], ['INVENTORY_BAD_INPUT', 400]);
    const { rows } = await f.s.db.query<{ on_hand: string; value: string }>(
      `SELECT s.on_hand::text AS on_hand, v.value::text AS value FROM "${f.schema}".inv_stock s
       JOIN "${f.schema}".inv_valuation v ON v.item_id = s.item_id WHERE s.item_id = $1`,
      [item],
    );
    assert.deepEqual(rows[0], { on_hand: '8.000000000', value: '20.000000000' });
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });

  it('master data changed since: the statement writes nothing and the full path decides', async () => {
    const item = await f.item();
    await receipt('stale-1', item);
    // Another instance makes the item lot-tracked: a receipt without a lot is now refused.
    await f.s.db.query(`UPDATE "${f.schema}".item SET tracking = 'lot' WHERE id = $1`, [item]);
    const refused = await receipt('stale-2', item).catch((err) => err);
    assert.equal(refused.code, 'INVENTORY_INVALID_MOVE');
    assert.equal(await count('inv_ledger', item), 1);
    // Moving average now: a receipt is posted by the full path, with no FIFO layer.
    await f.s.db.query(
      `UPDATE "${f.schema}".item SET tracking = 'none', valuation_method = 'moving_average' WHERE id = $1`,
      [item],
    );
    await receipt('stale-3', item);
    assert.equal(await count('inv_ledger', item), 2);
    assert.equal(await count('inv_layer', item), 1);
    const before = f.s.db.statementCount();
    await receipt('stale-4', item);
    assert.equal(f.s.db.statementCount() - before, 1, 'the refreshed facts serve the next receipt');
    assert.equal(await count('inv_layer', item), 1);
    assert.equal(await count('inv_ledger', item), 3);
  });
});
