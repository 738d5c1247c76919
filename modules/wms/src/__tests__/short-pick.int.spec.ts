/**
 * Short picks: with free stock elsewhere the missing units are re-picked from another bin on the
 * same walk; without it, an order that refuses partial delivery gets a supervisor's exception task.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInventory, postStockMove } from '@tenon/inventory';
import { type WmsFixture, wmsFixture } from './harness.ts';

describe('short picks', () => {
  let f: WmsFixture;
  before(async () => {
    f = await wmsFixture();
  });
  after(() => f.s.close());

  const receive = (key: string, item: string, bin: string, quantity: string) =>
    postStockMove(f.s.db, f.schema, {
      idempotencyKey: key,
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-11-20',
      lines: [{ item, toLocation: f.bins.get(bin)!, quantity, unitCost: '1' }],
    });
  const waveOf = async (item: string, quantity: string, allowBackorder: boolean, carrier: string) => {
    const order = await f.create('delivery_order', {
      customer: 'C',
      warehouse: f.warehouse,
      carrier,
      allow_backorder: allowBackorder,
      lines: [{ item, quantity }],
    });
    await f.act('delivery_order', order.id, 'reserve');
    const waves = (
      await f.s.call('POST', '/api/v1/wms/waves', { warehouse: f.warehouse, rule: { groupBy: ['carrier'] } })
    ).body.data.waves;
    await f.act('wave', waves[0].id, 'release');
    const [list] = await f.list('pick_list', `filter[wave]=${waves[0].id}`);
    return { order, list: list! };
  };
  const next = async (list: string) =>
    (await f.s.call('GET', `/api/v1/wms/pick_list/${list}/next`)).body.data;

  it('re-picks the missing units from another bin on the same walk', async () => {
    const item = f.items[0]!;
    await receive('a', item.id, 'A-01', '3');
    await receive('c', item.id, 'C-05', '10');
    const { order, list } = await waveOf(item.id, '5', true, 'SF');
    const first = await next(list.id);
    assert.deepEqual([first.bin, first.quantity], ['A-01', '3']);
    const over = await f.s.call('POST', `/api/v1/pick_list/${list.id}/confirm_pick`, {
      location: 'A-01',
      code: item.barcode,
      quantity: '4',
    });
    assert.equal(over.status, 422);
    assert.equal(over.body.error.code, 'WMS_OVER_PICK');
    const patched = await f.s.call('PATCH', `/api/v1/delivery_order/${order.id}`, { status: 'shipped' });
    assert.ok(patched.status >= 400 && patched.status < 500, 'a status belongs to the actions');
    await f.act('pick_list', list.id, 'confirm_pick', {
      location: 'A-01',
      code: item.barcode,
      quantity: '1',
    });
    const second = await next(list.id);
    assert.equal(second.bin, 'C-05');
    assert.equal(Number(second.quantity), 4, 'the 2 planned there and the 2 re-picked');
    await f.act('pick_list', list.id, 'confirm_pick', {
      location: 'C-05',
      code: item.barcode,
      quantity: second.quantity,
    });
    const picked = (await f.s.call('GET', `/api/v1/delivery_order/${order.id}`)).body.data;
    assert.equal(picked.status, 'picked');
    assert.equal(Number(picked.lines[0].picked_qty), 5);
    assert.equal(Number(picked.lines[0].backorder_qty), 0);
    await f.act('delivery_order', order.id, 'pack', { cartons: [{ weight: '2' }] });
    await f.act('delivery_order', order.id, 'ship', { trackingNumber: 'R1' });
    assert.equal((await f.list('delivery_order', 'filter[status]=draft')).length, 0, 'no back-order');
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });

  it('opens an exception task when nothing else holds the item and partial delivery is refused', async () => {
    const item = f.items[1]!;
    await receive('b', item.id, 'B-02', '4');
    const { order, list } = await waveOf(item.id, '4', false, 'JD');
    await f.act('pick_list', list.id, 'confirm_pick', {
      location: 'B-02',
      code: item.barcode,
      quantity: '3',
    });
    const tasks = (await f.s.call('GET', `/api/v1/processes?service=wms_exception&recordId=${list.id}`)).body
      .data.items;
    assert.equal(tasks.length, 1);
    assert.equal(tasks[0].context.short, '1');
    assert.equal(tasks[0].context.deliveryOrder, order.id);
  });
});
