/**
 * Races of the new warehouse steps (meaningful on PostgreSQL, where the clients run in parallel):
 * eight clients receiving 6 of a transfer line with 10 open (one wins, the rest are refused as
 * over-receipt), shipping one transfer (one shipment into transit), and scanning one kanban card (one
 * signal).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInventory, postStockMove } from '@tenon/inventory';
import { type WmsFixture, wmsFixture } from './harness.ts';

describe('wms races: transfers and kanban', () => {
  let f: WmsFixture;
  before(async () => {
    f = await wmsFixture();
  });
  after(() => f.s.close());

  const eight = (url: string, body: unknown) =>
    Promise.all(Array.from({ length: 8 }, () => f.s.call('POST', url, body)));
  const codes = (results: { status: number; body: { error?: { code: string } } }[]) =>
    results.map((r) => (r.status < 300 ? 'ok' : r.body.error!.code)).sort();

  it('one shipment, receipts never above what was shipped, one signal per card', async () => {
    const [item] = f.items as [WmsFixture['items'][0]];
    const company = (await f.s.call('GET', `/api/v1/warehouse/${f.warehouse}`)).body.data.company;
    const wh2 = (await f.create('warehouse', { code: 'WH2', name: 'Second', company })).id;
    await f.create('location', { code: 'R2', warehouse: wh2, level: 'bin', bin_type: 'receiving' });
    await f.create('location', { code: 'S2', warehouse: wh2, level: 'bin', bin_type: 'storage' });
    await postStockMove(f.s.db, f.schema, {
      idempotencyKey: 'seed',
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-11-27',
      lines: [{ item: item.id, toLocation: f.bins.get('A-01')!, quantity: '10', unitCost: '1' }],
    });
    const order = await f.create('transfer_order', {
      from_warehouse: f.warehouse,
      to_warehouse: wh2,
      lines: [{ item: item.id, from_location: f.bins.get('A-01'), quantity: '10' }],
    });
    const shipped = await eight(`/api/v1/transfer_order/${order.id}/ship`, {});
    assert.deepEqual(codes(shipped), [...Array(7).fill('WMS_BAD_STATE'), 'ok']);
    assert.equal((await f.list('wms_transit')).length, 1);

    const received = await eight(`/api/v1/transfer_order/${order.id}/receive`, {
      code: item.barcode,
      quantity: '6',
    });
    assert.equal(codes(received).filter((c) => c === 'ok').length, 1, JSON.stringify(codes(received)));
    assert.ok(codes(received).every((c) => c === 'ok' || c === 'WMS_OVER_RECEIPT'));
    const line = (await f.s.call('GET', `/api/v1/transfer_order/${order.id}`)).body.data.lines[0];
    assert.deepEqual([line.received_qty, line.in_transit_qty], ['6', '4']);

    const card = await f.create('kanban_card', {
      code: 'KB-R',
      supplier: f.supplier,
      item: item.id,
      warehouse: f.warehouse,
      quantity: '5',
    });
    const scans = await eight('/api/v1/wms/kanban/scan', { code: 'KB-R' });
    assert.deepEqual(codes(scans), [...Array(7).fill('WMS_BAD_STATE'), 'ok']);
    assert.equal((await f.list('kanban_signal', `filter[card]=${card.id}`)).length, 1);
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });
});
