/**
 * Cross-docking: at receiving, the orders waiting for the scanned item are suggested, most urgent
 * first; received with `crossDock` the units go straight to the outbound dock, reserved for those
 * orders (no putaway), and the wave picks them at the dock and ships them; the ledger stays consistent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInventory } from '@tenon/inventory';
import { type WmsFixture, waveAndShip, wmsFixture } from './harness.ts';

describe('cross-docking at receiving', () => {
  let f: WmsFixture;
  before(async () => {
    f = await wmsFixture();
  });
  after(() => f.s.close());

  it('sends received units to the dock for back-ordered orders instead of putting them away', async () => {
    const [i1] = f.items as [WmsFixture['items'][0]];
    const orders: string[] = [];
    for (const [customer, quantity, priority] of [
      ['急单客户', '10', 90],
      ['普通客户', '4', 40],
    ] as const) {
      const o = await f.create('delivery_order', {
        customer,
        warehouse: f.warehouse,
        carrier: 'SF',
        priority,
        lines: [{ item: i1.id, quantity }],
      });
      const reserved = await f.act('delivery_order', o.id, 'reserve');
      assert.equal(reserved.lines[0].backorder_qty, quantity, 'nothing in stock: all back-ordered');
      orders.push(o.id);
    }
    const asn = await f.create('asn', {
      supplier: f.supplier,
      warehouse: f.warehouse,
      expected_date: '2026-12-01',
      lines: [{ item: i1.id, quantity: '12' }],
    });
    await f.act('asn', asn.id, 'submit');
    const suggested = await f.s.call('GET', `/api/v1/wms/cross-dock?asn=${asn.id}&code=${i1.barcode}`);
    assert.equal(suggested.status, 200, JSON.stringify(suggested.body));
    assert.deepEqual(
      suggested.body.data.items.map((w: { customer: string; quantity: string }) => [w.customer, w.quantity]),
      [
        ['急单客户', '10'],
        ['普通客户', '4'],
      ],
    );
    const noDock = await f.s.call('POST', `/api/v1/asn/${asn.id}/receive`, {
      code: i1.barcode,
      quantity: '12',
      crossDock: true,
    });
    assert.equal(noDock.status, 400, 'no shipping bin: refused');
    assert.equal((await f.list('goods_receipt')).length, 0, 'and nothing written');

    const out = (
      await f.create('location', { code: 'OUT', warehouse: f.warehouse, level: 'bin', bin_type: 'shipping' })
    ).id;
    const received = await f.act('asn', asn.id, 'receive', {
      code: i1.barcode,
      quantity: '12',
      crossDock: true,
    });
    assert.equal(received.status, 'received');
    const docked = await f.list('cross_dock', 'sort=number');
    assert.deepEqual(
      docked.map((x) => [x.delivery_order, x.quantity, x.location]),
      [
        [orders[0], '10', out],
        [orders[1], '2', out],
      ],
    );
    assert.equal((await f.list('putaway_task')).length, 0, 'nothing to put away');
    const second = (await f.s.call('GET', `/api/v1/delivery_order/${orders[1]}`)).body.data.lines[0];
    assert.deepEqual([second.reserved_qty, second.backorder_qty], ['2', '2']);

    await waveAndShip(f, orders);
    const picks = (
      await f.s.db.query<{ location: string }>(`SELECT location FROM "${f.schema}".pick_list_line`)
    ).rows;
    assert.ok(picks.length > 0 && picks.every((p) => p.location === out), 'picked at the dock');
    const shipped = await Promise.all(
      orders.map(async (id) => (await f.s.call('GET', `/api/v1/delivery_order/${id}`)).body.data.status),
    );
    assert.deepEqual(shipped, ['shipped', 'shipped']);
    const [backorder] = await f.list('delivery_order', `filter[backorder_of]=${orders[1]}`);
    const open = (await f.s.call('GET', `/api/v1/delivery_order/${backorder!.id}`)).body.data;
    assert.equal(open.lines[0].quantity, '2', 'the two still missing are back-ordered');
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });
});
