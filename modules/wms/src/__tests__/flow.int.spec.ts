/**
 * The whole warehouse flow: ASN -> receipt by scan -> putaway by scan -> delivery orders ->
 * reservation -> wave -> one batch pick walk on the optimised route -> pack -> ship, with a short
 * pick back-ordered; every person's step a kernel task; documents as PDF; the inventory ledger
 * consistent at the end (checkInventory finds no drift).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInventory } from '@tenon/inventory';
import { type WmsFixture, wmsFixture } from './harness.ts';

describe('wms flow', () => {
  let f: WmsFixture;
  before(async () => {
    f = await wmsFixture();
  });
  after(() => f.s.close());

  const stock = async (item: string) => {
    const { rows } = await f.s.db.query<{ on_hand: string; reserved: string }>(
      `SELECT trim_scale(on_hand)::text AS on_hand, trim_scale(reserved)::text AS reserved FROM "${f.schema}".inv_stock WHERE item_id = $1`,
      [item],
    );
    return rows[0] ?? { on_hand: '0', reserved: '0' };
  };
  const tasksOf = async (entity: string, recordId: string) => {
    const r = await f.s.call('GET', `/api/v1/processes?entity=${entity}&recordId=${recordId}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.data.items as { service: string; state: string; exitReason: string | null }[];
  };

  it('runs ASN to shipment and leaves the ledger consistent', async () => {
    const [i1, i2, i3] = f.items as [WmsFixture['items'][0], WmsFixture['items'][0], WmsFixture['items'][0]];
    // Inbound.
    const asn = await f.create('asn', {
      supplier: f.supplier,
      warehouse: f.warehouse,
      expected_date: '2026-11-28',
      lines: [
        { item: i1.id, quantity: '40' },
        { item: i2.id, quantity: '30' },
        { item: i3.id, quantity: '20', lot_no: 'L-77', expires_on: '2027-06-30' },
      ],
    });
    const submitted = await f.act('asn', asn.id, 'submit');
    assert.equal(submitted.status, 'submitted');
    assert.equal(submitted.receiving_location, f.dock);
    assert.deepEqual(
      (await tasksOf('asn', asn.id)).map((t) => [t.service, t.state]),
      [['wms_receive', 'READY']],
    );

    const bad = await f.s.call('POST', `/api/v1/asn/${asn.id}/receive`, { code: 'NOPE', quantity: '1' });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, 'WMS_SCAN_MISMATCH');
    await f.act('asn', asn.id, 'receive', { code: i1.barcode, quantity: '42' });
    await f.act('asn', asn.id, 'receive', { code: i2.barcode, quantity: '28', damaged: '2' });
    const noLot = await f.s.call('POST', `/api/v1/asn/${asn.id}/receive`, {
      code: i3.code,
      quantity: '20',
      lotNo: '',
    });
    assert.equal(noLot.status, 200, 'the ASN line carries the lot number');
    const received = await f.act('asn', asn.id, 'close').catch(() => null);
    const final = received ?? (await f.s.call('GET', `/api/v1/asn/${asn.id}`)).body.data;
    assert.equal(final.status, 'received');
    const receipts = await f.list('goods_receipt', `filter[asn]=${asn.id}`);
    assert.equal(receipts.length, 3);
    assert.deepEqual(receipts.map((r) => r.variance).sort(), ['none', 'none', 'over']);
    assert.equal((await tasksOf('asn', asn.id))[0]!.exitReason, 'done');
    assert.equal((await stock(i2.id)).on_hand, '30', 'damaged units sit in quarantine');

    const putaways = await f.list('putaway_task', 'filter[status]=open');
    assert.ok(putaways.length >= 3);
    for (const task of putaways) {
      assert.ok(task.suggested_location, 'every unit found a bin');
      const code = [...f.bins].find(([, id]) => id === task.suggested_location)![0];
      const done = await f.act('putaway_task', task.id, 'confirm', { location: code });
      assert.equal(done.status, 'done');
      assert.equal((await tasksOf('putaway_task', task.id))[0]!.exitReason, 'done');
    }

    // Outbound: three orders of one carrier, one wave, one batch walk.
    const orders = [];
    for (const [n, lines] of [
      [
        1,
        [
          { item: i1.id, quantity: '5' },
          { item: i3.id, quantity: '4' },
        ],
      ],
      [
        2,
        [
          { item: i2.id, quantity: '6' },
          { item: i1.id, quantity: '3' },
        ],
      ],
      [
        3,
        [
          { item: i3.id, quantity: '2' },
          { item: i2.id, quantity: '1' },
        ],
      ],
    ] as const) {
      const order = await f.create('delivery_order', {
        customer: `客户 ${n}`,
        ship_to: `上海市 ${n} 号`,
        warehouse: f.warehouse,
        carrier: 'SF',
        priority: 50 + n,
        lines,
      });
      assert.equal((await f.act('delivery_order', order.id, 'reserve')).status, 'reserved');
      orders.push(order);
    }
    assert.equal((await stock(i1.id)).reserved, '8');
    const waved = await f.s.call('POST', '/api/v1/wms/waves', {
      warehouse: f.warehouse,
      rule: { groupBy: ['carrier'] },
    });
    assert.equal(waved.status, 201, JSON.stringify(waved.body));
    assert.equal(waved.body.data.waves.length, 1);
    const wave = waved.body.data.waves[0];
    assert.equal(wave.order_count, 3);
    const released = await f.act('wave', wave.id, 'release');
    assert.equal(released.status, 'released');
    assert.ok(Number(released.route_length) <= Number(released.naive_length));
    const lists = await f.list('pick_list', `filter[wave]=${wave.id}`);
    assert.equal(lists.length, 1, 'one batch walk for the three orders');
    const list = lists[0]!;
    assert.deepEqual(
      (await tasksOf('pick_list', list.id)).map((t) => t.service),
      ['wms_pick'],
    );

    // Pick by scan in walking order; the first pick of item 2 comes up one short.
    let shorted = false;
    for (let guard = 0; guard < 20; guard++) {
      const next = (await f.s.call('GET', `/api/v1/wms/pick_list/${list.id}/next`)).body.data;
      if (!next) break;
      let quantity = next.quantity as string;
      if (next.item === i2.id && !shorted) {
        quantity = String(Number(quantity) - 1);
        shorted = true;
      }
      const wrong = await f.s.call('POST', `/api/v1/pick_list/${list.id}/confirm_pick`, {
        location: next.bin,
        code: 'WRONG',
        quantity,
      });
      assert.equal(wrong.status, 422);
      await f.act('pick_list', list.id, 'confirm_pick', { location: next.bin, code: next.barcode, quantity });
    }
    assert.ok(shorted);
    const picked = (await f.s.call('GET', `/api/v1/pick_list/${list.id}`)).body.data;
    assert.equal(picked.status, 'done');
    assert.equal((await f.s.call('GET', `/api/v1/wave/${wave.id}`)).body.data.status, 'picked');

    for (const [n, order] of orders.entries()) {
      assert.equal((await f.s.call('GET', `/api/v1/delivery_order/${order.id}`)).body.data.status, 'picked');
      assert.deepEqual(
        (await tasksOf('delivery_order', order.id)).map((t) => t.service),
        ['wms_pack'],
      );
      const packed = await f.act('delivery_order', order.id, 'pack', {
        cartons: [{ weight: '3.25', type: 'M' }, ...(n === 0 ? [{ weight: '1.5', type: 'S' }] : [])],
      });
      assert.equal(packed.status, 'packed');
      const list = await f.s.app.inject({
        method: 'GET',
        url: `/api/v1/wms/delivery_order/${order.id}/packing-list.pdf`,
        headers: { authorization: `Bearer ${f.s.adminToken}` },
      });
      assert.equal(list.statusCode, 200);
      assert.equal(list.headers['content-type'], 'application/pdf');
      assert.equal(list.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const noTracking = await f.s.call('POST', `/api/v1/delivery_order/${order.id}/ship`, {});
      assert.equal(noTracking.status, 400);
      const shipped = await f.act('delivery_order', order.id, 'ship', { trackingNumber: `SF100${n}` });
      assert.equal(shipped.status, 'shipped');
      const note = await f.s.app.inject({
        method: 'GET',
        url: `/api/v1/wms/delivery_order/${order.id}/delivery-note.pdf`,
        headers: { authorization: `Bearer ${f.s.adminToken}` },
      });
      assert.equal(note.statusCode, 200);
      assert.ok(note.rawPayload.length > 1000);
    }
    const shipments = await f.list('shipment');
    assert.equal(shipments.length, 3);
    assert.equal(shipments.find((x) => x.tracking_number === 'SF1000')!.total_weight_kg, '4.750');

    // Stock: received 42 / 28 (+2 quarantined) / 20; shipped 8 / 6 (one short) / 6.
    assert.deepEqual(await stock(i1.id), { on_hand: '34', reserved: '0' });
    assert.deepEqual(await stock(i2.id), { on_hand: '24', reserved: '0' });
    assert.deepEqual(await stock(i3.id), { on_hand: '14', reserved: '0' });
    const backorders = await f.list('delivery_order', 'filter[status]=draft');
    assert.equal(backorders.length, 1);
    const backorder = (await f.s.call('GET', `/api/v1/delivery_order/${backorders[0]!.id}`)).body.data;
    assert.equal(
      backorder.backorder_of,
      orders.find(
        (o) => o.lines.some((l: { item: string }) => l.item === i2.id) && o.customer === backorder.customer,
      )?.id,
    );
    assert.deepEqual(
      backorder.lines.map((l: { item: string; quantity: string }) => [l.item, l.quantity]),
      [[i2.id, '1']],
    );
    const check = await checkInventory(f.s.db, f.schema);
    assert.deepEqual(check.drift, []);
  });
});
