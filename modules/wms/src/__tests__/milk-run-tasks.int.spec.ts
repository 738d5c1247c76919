/**
 * Milk-Run planned over three suppliers (the open ASN lines ride the run, a route sheet PDF), the
 * warehouse tasks in the operators' task lists, and refused input that writes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type WmsFixture, wmsFixture } from './harness.ts';

describe('Milk-Run, task lists and refusals', () => {
  let f: WmsFixture;
  before(async () => {
    f = await wmsFixture();
  });
  after(() => f.s.close());

  it('plans a run over three suppliers with their open ASN lines and prints the route sheet', async () => {
    const s2 = (await f.create('wms_supplier', { code: 'SUP2', name: '苏州精密', address: '苏州工业园区' }))
      .id;
    const s3 = (await f.create('wms_supplier', { code: 'SUP3', name: 'Ningbo Plastics' })).id;
    const route = await f.create('milk_run_route', {
      code: 'MR-EAST',
      name: '华东环线',
      warehouse: f.warehouse,
      departures: '08:00, 14:00',
      return_minutes: 40,
      stops: [
        { supplier: f.supplier, drive_minutes: 30, dwell_minutes: 20 },
        { supplier: s2, drive_minutes: 25 },
        { supplier: s3, drive_minutes: 35, dwell_minutes: 10 },
      ],
    });
    const overdue = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    for (const [supplier, item, quantity] of [
      [f.supplier, f.items[0]!.id, '12'],
      [s3, f.items[1]!.id, '7'],
    ] as const) {
      await f.create('asn', {
        supplier,
        warehouse: f.warehouse,
        expected_date: overdue,
        source: 'milk_run',
        lines: [{ item, quantity }],
      });
    }
    await f.act('milk_run_route', route.id, 'plan_run');
    const runs = await f.list('milk_run', `filter[route]=${route.id}`);
    assert.equal(runs.length, 1);
    const plan = runs[0]!.plan;
    assert.deepEqual(
      plan.stops.map((s: { name: string; items: unknown[] }) => [s.name, s.items.length]),
      [
        ['华东五金', 1],
        ['苏州精密', 0],
        ['Ningbo Plastics', 1],
      ],
    );
    const departs = new Date(plan.departsAt).getTime();
    assert.equal(new Date(plan.returnsAt).getTime() - departs, (30 + 20 + 25 + 15 + 35 + 10 + 40) * 60_000);
    const pdf = await f.s.app.inject({
      method: 'GET',
      url: `/api/v1/wms/milk_run/${runs[0]!.id}/route-sheet.pdf`,
      headers: { authorization: `Bearer ${f.s.adminToken}` },
    });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    // The run arrives: its ASNs are submitted and their receive tasks wait for the clerks.
    const arrived = await f.act('milk_run', runs[0]!.id, 'arrive');
    assert.equal(arrived.status, 'arrived');
    const asns = await f.list('asn', 'filter[source]=milk_run');
    assert.deepEqual(
      asns.map((a) => a.status),
      ['submitted', 'submitted'],
    );
    const receiving = (await f.s.call('GET', '/api/v1/processes?service=wms_receive')).body.data.items;
    assert.equal(receiving.length, 2);
    assert.equal((await f.s.call('POST', `/api/v1/milk_run/${runs[0]!.id}/arrive`, {})).status, 409);
  });

  it("puts the receive task in a clerk's available list", async () => {
    const put = await f.s.call('PUT', '/api/v1/security/roles/warehouse_clerk', {
      label: { 'zh-CN': '仓库文员', en: 'Warehouse clerk' },
      permissions: [
        { entity: '$process', actions: ['read', 'update'] },
        { entity: 'asn', actions: ['read', 'receive'] },
      ],
    });
    assert.ok(put.status < 300, JSON.stringify(put.body));
    const clerk = await f.s.userWith({ username: 'clerk', roles: ['warehouse_clerk'] });
    const asn = await f.create('asn', {
      supplier: f.supplier,
      warehouse: f.warehouse,
      expected_date: '2026-12-01',
      lines: [{ item: f.items[0]!.id, quantity: '3' }],
    });
    await f.act('asn', asn.id, 'submit');
    const tasks = await f.s.callAs(clerk, 'GET', '/api/v1/tasks?list=available');
    assert.equal(tasks.status, 200, JSON.stringify(tasks.body));
    const mine = tasks.body.data.items.filter((t: { recordId: string }) => t.recordId === asn.id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0].service, 'wms_receive');
    assert.equal(mine[0].recordTitle, asn.number);
    // The clerk receives everything: the receive task ends and a putaway task waits in the list.
    const received = await f.s.callAs(clerk, 'POST', `/api/v1/asn/${asn.id}/receive`, {
      code: f.items[0]!.barcode,
      quantity: '3',
    });
    assert.equal(received.status, 200, JSON.stringify(received.body));
    assert.equal(received.body.data.status, 'received');
    const after = await f.s.callAs(clerk, 'GET', '/api/v1/tasks?list=available');
    assert.equal(after.body.data.items.filter((t: { recordId: string }) => t.recordId === asn.id).length, 0);
    assert.ok(after.body.data.items.some((t: { service: string }) => t.service === 'wms_putaway'));
    const board = await f.s.call('GET', `/api/v1/wms/board?warehouse=${f.warehouse}`);
    assert.equal(board.status, 200, JSON.stringify(board.body));
    assert.ok(board.body.data.tasks.wms_putaway.READY >= 1);
    assert.equal((await f.s.call('GET', '/api/v1/wms/board?warehouse=x')).status, 400);
  });

  it('cancelling a submitted ASN cancels its receive task', async () => {
    const asn = await f.create('asn', {
      supplier: f.supplier,
      warehouse: f.warehouse,
      expected_date: '2026-12-01',
      lines: [{ item: f.items[1]!.id, quantity: '3' }],
    });
    const submitted = await f.act('asn', asn.id, 'submit');
    assert.equal((await f.act('asn', asn.id, 'cancel')).status, 'cancelled');
    const task = (await f.s.call('GET', `/api/v1/processes/${submitted.process_id}`)).body.data;
    assert.equal(task.state, 'TERMINATED');
    assert.equal(task.exitReason, 'cancelled');
  });

  it('refuses bad input with a coded 4xx and writes nothing', async () => {
    const ledger = async () =>
      (await f.s.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${f.schema}".inv_ledger`)).rows[0]!
        .n;
    const before = await ledger();
    const empty = await f.create('asn', {
      supplier: f.supplier,
      warehouse: f.warehouse,
      expected_date: '2026-12-01',
    });
    const r1 = await f.s.call('POST', `/api/v1/asn/${empty.id}/submit`, {});
    assert.equal(r1.status, 400);
    assert.equal(r1.body.error.code, 'WMS_BAD_INPUT');
    const r2 = await f.s.call('POST', `/api/v1/asn/${empty.id}/receive`, {
      code: f.items[0]!.barcode,
      quantity: '1',
    });
    assert.equal(r2.status, 409);
    assert.equal(r2.body.error.code, 'WMS_BAD_STATE');
    const asn = await f.create('asn', {
      supplier: f.supplier,
      warehouse: f.warehouse,
      expected_date: '2026-12-01',
      lines: [{ item: f.items[2]!.id, quantity: '3' }],
    });
    await f.act('asn', asn.id, 'submit');
    const r3 = await f.s.call('POST', `/api/v1/asn/${asn.id}/receive`, {
      code: f.items[2]!.barcode,
      quantity: '3',
    });
    assert.equal(r3.status, 400, 'a lot-tracked item needs its lot');
    const r4 = await f.s.call('POST', `/api/v1/asn/${asn.id}/receive`, {
      code: f.items[0]!.barcode,
      quantity: '1',
    });
    assert.equal(r4.body.error.code, 'WMS_NOT_ON_DOCUMENT');
    const r5 = await f.s.call('POST', `/api/v1/asn/${asn.id}/receive`, {
      code: f.items[2]!.barcode,
      quantity: '-1',
      lotNo: 'X',
    });
    assert.equal(r5.status, 400);
    const order = await f.create('delivery_order', {
      customer: 'X',
      warehouse: f.warehouse,
      allow_backorder: false,
      lines: [{ item: f.items[1]!.id, quantity: '999' }],
    });
    const r6 = await f.s.call('POST', `/api/v1/delivery_order/${order.id}/reserve`, {});
    assert.equal(r6.status, 409);
    assert.equal(r6.body.error.code, 'INVENTORY_INSUFFICIENT_AVAILABLE');
    const r7 = await f.s.call('POST', `/api/v1/delivery_order/${order.id}/ship`, { trackingNumber: 'T' });
    assert.equal(r7.body.error.code, 'WMS_BAD_STATE');
    assert.equal((await f.s.call('GET', `/api/v1/delivery_order/${order.id}`)).body.data.status, 'draft');
    assert.equal(await ledger(), before);
    const receipts = await f.list('goods_receipt', `filter[asn]=${asn.id}`);
    assert.equal(receipts.length, 0);
  });
});
