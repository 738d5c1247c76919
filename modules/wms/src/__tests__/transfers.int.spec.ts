/**
 * Transfers between warehouses: shipping moves the stock into the company's in-transit warehouse
 * (shown by the in-transit report and in inventory's stock per warehouse), the receiving warehouse
 * receives by scan in parts with damaged units to quarantine, an over-receipt is refused, closing
 * writes off what never arrived; the receive task ends and the ledger stays consistent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInventory, postStockMove } from '@tenon/inventory';
import { type WmsFixture, wmsFixture } from './harness.ts';

describe('transfers between warehouses', () => {
  let f: WmsFixture;
  before(async () => {
    f = await wmsFixture();
  });
  after(() => f.s.close());

  const onHand = async (item: string) =>
    Object.fromEntries(
      (
        await f.s.db.query<{ code: string; q: string }>(
          `SELECT w.code, trim_scale(s.on_hand)::text AS q FROM "${f.schema}".inv_stock s
             JOIN "${f.schema}".warehouse w ON w.id = s.warehouse_id WHERE s.item_id = $1 AND s.on_hand <> 0`,
          [item],
        )
      ).rows.map((r) => [r.code, r.q]),
    );

  it('ships into transit, receives in parts at the other warehouse, writes off what is missing', async () => {
    const [i1, , i3] = f.items as [WmsFixture['items'][0], WmsFixture['items'][0], WmsFixture['items'][0]];
    const company = (await f.s.call('GET', `/api/v1/warehouse/${f.warehouse}`)).body.data.company;
    const wh2 = (await f.create('warehouse', { code: 'WH2', name: '华北仓', company })).id;
    for (const [code, bin_type] of [
      ['R2-DOCK', 'receiving'],
      ['R2-QC', 'quarantine'],
      ['S2-01', 'storage'],
    ])
      await f.create('location', { code, warehouse: wh2, level: 'bin', bin_type, capacity_units: 500 });
    const lot = (await f.create('lot', { item: i3.id, supplier_lot: 'L-9' })) as { id: string; code: string };
    await postStockMove(f.s.db, f.schema, {
      idempotencyKey: 'seed-transfer',
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-11-27',
      lines: [
        { item: i1.id, toLocation: f.bins.get('A-01')!, quantity: '40', unitCost: '2.50' },
        { item: i3.id, toLocation: f.bins.get('A-02')!, lot: lot.id, quantity: '10', unitCost: '4' },
      ],
    });
    const same = await f.s.call('POST', '/api/v1/transfer_order', {
      from_warehouse: f.warehouse,
      to_warehouse: f.warehouse,
      lines: [{ item: i1.id, from_location: f.bins.get('A-01'), quantity: '1' }],
    });
    const refused = await f.s.call('POST', `/api/v1/transfer_order/${same.body.data.id}/ship`, {});
    assert.equal(refused.status, 400);

    const order = await f.create('transfer_order', {
      from_warehouse: f.warehouse,
      to_warehouse: wh2,
      expected_date: '2026-11-29',
      lines: [
        { item: i1.id, from_location: f.bins.get('A-01'), quantity: '30' },
        { item: i3.id, lot: lot.id, from_location: f.bins.get('A-02'), quantity: '10' },
      ],
    });
    const shipped = await f.act('transfer_order', order.id, 'ship');
    assert.equal(shipped.status, 'shipped');
    const transit = (await f.list('wms_transit'))[0]!;
    const transitCode = (await f.s.call('GET', `/api/v1/warehouse/${transit.warehouse}`)).body.data.code;
    assert.deepEqual(await onHand(i1.id), { WH1: '10', [transitCode]: '30' });
    const report = await f.s.call('GET', `/api/v1/wms/in-transit?warehouse=${wh2}`);
    assert.equal(report.status, 200);
    assert.deepEqual(
      report.body.data.items.map((r: { item: string; quantity: string }) => [r.item, r.quantity]),
      [
        [i1.id, '30'],
        [i3.id, '10'],
      ],
    );
    const tasks = await f.s.call('GET', `/api/v1/processes?entity=transfer_order&recordId=${order.id}`);
    assert.deepEqual(
      tasks.body.data.items.map((t: { service: string; state: string }) => [t.service, t.state]),
      [['wms_receive_transfer', 'READY']],
    );

    const receive = (body: Record<string, unknown>) =>
      f.s.call('POST', `/api/v1/transfer_order/${order.id}/receive`, body);
    assert.equal((await receive({ code: i1.barcode, quantity: '20' })).body.data.status, 'receiving');
    const over = await receive({ code: i1.barcode, quantity: '15' });
    assert.equal(over.status, 422);
    assert.equal(over.body.error.code, 'WMS_OVER_RECEIPT');
    assert.equal((await receive({ code: i1.barcode, quantity: '7', damaged: '1' })).status, 200);
    assert.equal((await receive({ code: lot.code, quantity: '8' })).status, 200, 'by the lot label');
    assert.deepEqual(await onHand(i1.id), { WH1: '10', WH2: '28', [transitCode]: '2' });
    const putaways = await f.list('putaway_task', `filter[warehouse]=${wh2}`);
    assert.equal(putaways.length, 3);
    assert.ok(
      putaways.every((p) => p.suggested_location),
      'the receiving warehouse puts it away',
    );

    const closed = await f.act('transfer_order', order.id, 'close');
    assert.equal(closed.status, 'received');
    const lines = (closed.lines as Record<string, string>[]).map((l) => [
      l.received_qty,
      l.damaged_qty,
      l.lost_qty,
      l.in_transit_qty,
    ]);
    assert.deepEqual(
      lines.map((l) => l.map(Number)),
      [
        [27, 1, 2, 0],
        [8, 0, 2, 0],
      ],
    );
    assert.deepEqual(await onHand(i1.id), { WH1: '10', WH2: '28' });
    assert.deepEqual((await f.s.call('GET', '/api/v1/wms/in-transit')).body.data.items, []);
    const ended = await f.s.call('GET', `/api/v1/processes?entity=transfer_order&recordId=${order.id}`);
    assert.equal(ended.body.data.items[0].exitReason, 'done');
    assert.equal((await receive({ code: i1.barcode, quantity: '1' })).status, 409);
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });
});
