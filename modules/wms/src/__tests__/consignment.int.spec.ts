/**
 * Consignment (VMI): units received under a consignment agreement are on hand and pickable but at
 * zero value; shipping them records a consumption at the agreed price; units that left another way
 * are found by a reconciliation; a consumption is billed once; the ledger stays consistent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInventory, postStockMove } from '@tenon/inventory';
import { type WmsFixture, waveAndShip, wmsFixture } from './harness.ts';

describe('consignment stock', () => {
  let f: WmsFixture;
  before(async () => {
    f = await wmsFixture();
  });
  after(() => f.s.close());

  const valuation = async (item: string) =>
    (
      await f.s.db.query<{ q: string; v: string }>(
        `SELECT trim_scale(quantity)::text AS q, trim_scale(value)::text AS v FROM "${f.schema}".inv_valuation WHERE item_id = $1`,
        [item],
      )
    ).rows[0];
  const entries = async (kind: string) =>
    (await f.list('consignment_entry', `filter[kind]=${kind}&sort=number`)).map((e) => [
      e.quantity,
      e.amount,
      e.source_type,
    ]);

  it('receives at zero value, consumes at the agreed price on shipping and by reconciliation', async () => {
    const [i1, i2] = f.items as [WmsFixture['items'][0], WmsFixture['items'][0]];
    await f.create('vmi_agreement', {
      code: 'VMI-1',
      supplier: f.supplier,
      item: i1.id,
      warehouse: f.warehouse,
      min_qty: '5',
      max_qty: '50',
      consignment: true,
      agreed_price: '3.20',
    });
    const asn = await f.create('asn', {
      supplier: f.supplier,
      warehouse: f.warehouse,
      expected_date: '2026-12-01',
      lines: [
        { item: i1.id, quantity: '20' },
        { item: i2.id, quantity: '10' },
      ],
    });
    await f.act('asn', asn.id, 'submit');
    await f.act('asn', asn.id, 'receive', { code: i1.barcode, quantity: '20' });
    await f.act('asn', asn.id, 'receive', { code: i2.barcode, quantity: '10' });
    assert.deepEqual(await valuation(i1.id), { q: '20', v: '0' }, 'consigned: on hand, not valued');
    assert.deepEqual(await valuation(i2.id), { q: '10', v: '25' }, 'own stock at its cost');
    assert.deepEqual(await entries('receipt'), [['20', null, 'goods_receipt']]);
    for (const task of await f.list('putaway_task', 'filter[status]=open')) {
      const code = [...f.bins].find(([, id]) => id === task.suggested_location)![0];
      await f.act('putaway_task', task.id, 'confirm', { location: code });
    }

    const order = await f.create('delivery_order', {
      customer: '客户 A',
      warehouse: f.warehouse,
      carrier: 'SF',
      lines: [
        { item: i1.id, quantity: '5' },
        { item: i2.id, quantity: '2' },
      ],
    });
    await f.act('delivery_order', order.id, 'reserve');
    await waveAndShip(f, [order.id]);
    assert.deepEqual(await entries('consumption'), [['5', '16.00', 'delivery_order']]);

    // Three units leave by a plain inventory issue; the reconciliation finds them.
    const bin = (
      await f.s.db.query<{ location_id: string }>(
        `SELECT location_id FROM "${f.schema}".inv_balance WHERE item_id = $1 AND on_hand >= 3 LIMIT 1`,
        [i1.id],
      )
    ).rows[0]!.location_id;
    await postStockMove(f.s.db, f.schema, {
      idempotencyKey: 'consume-3',
      moveType: 'issue',
      warehouse: f.warehouse,
      postingDate: '2026-12-02',
      lines: [{ item: i1.id, fromLocation: bin, quantity: '3' }],
    });
    const reconcile = () => f.s.call('POST', '/api/v1/wms/consignment/reconcile', { warehouse: f.warehouse });
    const found = await reconcile();
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.deepEqual(found.body.data.items, [{ item: i1.id, consumed: '3' }]);
    assert.deepEqual((await reconcile()).body.data.items, [], 'nothing twice');
    assert.deepEqual(await entries('consumption'), [
      ['5', '16.00', 'delivery_order'],
      ['3', '9.60', 'reconciliation'],
    ]);
    assert.deepEqual(await valuation(i1.id), { q: '12', v: '0' });

    const [consumption] = await f.list('consignment_entry', 'filter[kind]=consumption&sort=number');
    assert.equal((await f.act('consignment_entry', consumption!.id, 'bill')).status, 'billed');
    const twice = await f.s.call('POST', `/api/v1/consignment_entry/${consumption!.id}/bill`, {});
    assert.equal(twice.status, 409);
    const [receipt] = await f.list('consignment_entry', 'filter[kind]=receipt');
    assert.equal((await f.s.call('POST', `/api/v1/consignment_entry/${receipt!.id}/bill`, {})).status, 409);

    // Consigned units rejected at a quality hold go back to the supplier: owned no longer, owed nothing.
    const held = await f.create('asn', {
      supplier: f.supplier,
      warehouse: f.warehouse,
      expected_date: '2026-12-03',
      quality_hold: true,
      lines: [{ item: i1.id, quantity: '4' }],
    });
    await f.act('asn', held.id, 'submit');
    await f.act('asn', held.id, 'receive', { code: i1.barcode, quantity: '4' });
    const [gr] = await f.list('goods_receipt', `filter[asn]=${held.id}`);
    await f.act('goods_receipt', gr!.id, 'reject');
    assert.deepEqual(await entries('return'), [['4', null, 'goods_receipt']]);
    assert.deepEqual((await reconcile()).body.data.items, [], 'a return is not a consumption');
    assert.deepEqual(await valuation(i1.id), { q: '12', v: '0' });
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });
});
