/**
 * Pick-face replenishment: a face at its minimum is filled to its maximum in whole cases from reserve
 * (oldest stock first), as clerks' move tasks; asking again adds nothing while moves are open;
 * confirming by scanning the face posts the transfer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Decimal } from '@tenon/core';
import { checkInventory, postStockMove } from '@tenon/inventory';
import { type WmsFixture, wmsFixture } from './harness.ts';

describe('pick-face replenishment', () => {
  let f: WmsFixture;
  before(async () => {
    f = await wmsFixture();
  });
  after(() => f.s.close());

  const receive = (key: string, bin: string, quantity: string) =>
    postStockMove(f.s.db, f.schema, {
      idempotencyKey: key,
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-11-20',
      lines: [{ item: f.items[0]!.id, toLocation: f.bins.get(bin)!, quantity, unitCost: '1' }],
    });
  const onHand = async (bin: string) =>
    (
      await f.s.db.query<{ q: string }>(
        `SELECT coalesce(sum(on_hand), 0)::text AS q FROM "${f.schema}".inv_balance WHERE location_id = $1`,
        [f.bins.get(bin)],
      )
    ).rows[0]!.q;

  it('fills a face to its maximum in whole cases and posts the moves when scanned', async () => {
    await receive('face', 'A-01', '2');
    await receive('old', 'C-03', '30');
    await receive('new', 'C-04', '20');
    await f.create('pick_face', {
      code: 'PF-A01',
      warehouse: f.warehouse,
      location: f.bins.get('A-01'),
      item: f.items[0]!.id,
      min_qty: '5',
      max_qty: '40',
      case_qty: '6',
    });
    const r = await f.s.call('POST', '/api/v1/wms/replenishment', { warehouse: f.warehouse });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const tasks = r.body.data.tasks as {
      id: string;
      quantity: string;
      from_location: string;
      to_location: string;
    }[];
    const total = tasks.reduce((sum, t) => sum.plus(t.quantity), new Decimal(0));
    assert.equal(total.toFixed(), '36', 'whole cases of 6 up to 40 from 2');
    for (const t of tasks) {
      assert.equal(new Decimal(t.quantity).mod(6).toFixed(), '0');
      assert.equal(t.to_location, f.bins.get('A-01'));
    }
    assert.equal(tasks[0]!.from_location, f.bins.get('C-03'), 'the oldest stock first');
    const again = await f.s.call('POST', '/api/v1/wms/replenishment', { warehouse: f.warehouse });
    assert.deepEqual(again.body.data.tasks, [], 'open moves count as incoming');

    const wrong = await f.s.call('POST', `/api/v1/move_task/${tasks[0]!.id}/confirm`, { location: 'B-01' });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.code, 'WMS_SCAN_MISMATCH');
    for (const t of tasks) await f.act('move_task', t.id, 'confirm', { location: 'A-01' });
    assert.equal(new Decimal(await onHand('A-01')).toFixed(), '38');
    const processes = (await f.s.call('GET', '/api/v1/processes?service=wms_move')).body.data.items;
    assert.ok(
      processes.length === tasks.length &&
        processes.every((p: { exitReason: string }) => p.exitReason === 'done'),
    );
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
    const bad = await f.s.call('POST', '/api/v1/wms/replenishment', { warehouse: 'nope' });
    assert.equal(bad.status, 400);
  });
});
