/**
 * Races (meaningful on PostgreSQL, where the clients run in parallel): eight clients releasing one
 * wave, confirming one putaway or shipping one order: exactly one wins, the others get 409
 * WMS_BAD_STATE, and the stock is posted once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInventory, postStockMove } from '@tenon/inventory';
import { type WmsFixture, wmsFixture } from './harness.ts';

describe('wms races', () => {
  let f: WmsFixture;
  before(async () => {
    f = await wmsFixture();
  });
  after(() => f.s.close());

  const race = async (url: string, body: unknown) => {
    const results = await Promise.all(Array.from({ length: 8 }, () => f.s.call('POST', url, body)));
    const won = results.filter((r) => r.status === 200);
    assert.equal(won.length, 1, JSON.stringify(results.map((r) => r.body.error?.code ?? r.status)));
    for (const r of results.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'WMS_BAD_STATE');
    }
    return won[0]!.body.data;
  };
  const ledgerRows = async (sourceId: string) =>
    Number(
      (
        await f.s.db.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM "${f.schema}".inv_ledger WHERE source_id = $1`,
          [sourceId],
        )
      ).rows[0]!.n,
    );

  it('one putaway confirmation, one release, one shipment', async () => {
    const [item] = f.items;
    const asn = await f.create('asn', {
      supplier: f.supplier,
      warehouse: f.warehouse,
      expected_date: '2026-12-01',
      lines: [{ item: item!.id, quantity: '10' }],
    });
    await f.act('asn', asn.id, 'submit');
    await f.act('asn', asn.id, 'receive', { code: item!.barcode, quantity: '10' });
    const [task] = await f.list('putaway_task', 'filter[status]=open');
    await race(`/api/v1/putaway_task/${task!.id}/confirm`, { location: 'B-03' });
    assert.equal(await ledgerRows(task!.id), 2, 'one transfer: out of the dock, into the bin');

    await postStockMove(f.s.db, f.schema, {
      idempotencyKey: 'more',
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-11-20',
      lines: [{ item: item!.id, toLocation: f.bins.get('A-01')!, quantity: '10', unitCost: '1' }],
    });
    const order = await f.create('delivery_order', {
      customer: 'C',
      warehouse: f.warehouse,
      carrier: 'SF',
      lines: [{ item: item!.id, quantity: '4' }],
    });
    await f.act('delivery_order', order.id, 'reserve');
    const waves = (await f.s.call('POST', '/api/v1/wms/waves', { warehouse: f.warehouse })).body.data.waves;
    await race(`/api/v1/wave/${waves[0].id}/release`, {});
    const lists = await f.list('pick_list', `filter[wave]=${waves[0].id}`);
    assert.equal(lists.length, 1);
    const next = (await f.s.call('GET', `/api/v1/wms/pick_list/${lists[0]!.id}/next`)).body.data;
    await f.act('pick_list', lists[0]!.id, 'confirm_pick', {
      location: next.bin,
      code: next.barcode,
      quantity: '4',
    });
    await f.act('delivery_order', order.id, 'pack', { cartons: [{ weight: '1' }] });
    await race(`/api/v1/delivery_order/${order.id}/ship`, { trackingNumber: 'T1' });
    assert.equal(await ledgerRows(order.id), 1);
    assert.equal((await f.list('shipment')).length, 1);
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });
});
