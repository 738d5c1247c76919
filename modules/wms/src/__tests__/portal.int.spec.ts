/**
 * The supplier portal: a `supplier_portal` user sees only its own supplier's items, ASNs and VMI
 * agreements, sees our stock, consumption and forecast for its VMI items, and proposes a
 * replenishment ASN that it may submit; other suppliers' records answer 404 / 403.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postStockMove } from '@tenon/inventory';
import { SUPPLIER_PORTAL_ROLE } from '../index.ts';
import { type WmsFixture, wmsFixture } from './harness.ts';

describe('supplier portal and VMI', () => {
  let f: WmsFixture;
  let other: string;
  let otherItem: string;
  let token: string;
  let otherAsn: string;
  before(async () => {
    f = await wmsFixture();
    const { name: _name, ...role } = SUPPLIER_PORTAL_ROLE;
    const put = await f.s.call('PUT', '/api/v1/security/roles/supplier_portal', role);
    assert.ok(put.status === 200 || put.status === 201, JSON.stringify(put.body));
    other = (await f.create('wms_supplier', { code: 'SUP2', name: 'Other Ltd' })).id;
    const uom = (await f.list('uom'))[0]!.id;
    otherItem = (await f.create('item', { name: 'Other item', base_uom: uom, default_supplier: 'SUP2' })).id;
    token = await f.s.userWith({
      username: 'sup1',
      roles: ['supplier_portal'],
      attributes: { supplier: f.supplier, supplier_code: 'SUP1' },
    });
    otherAsn = (
      await f.create('asn', {
        supplier: other,
        warehouse: f.warehouse,
        expected_date: '2026-12-01',
        lines: [{ item: otherItem, quantity: '5' }],
      })
    ).id;
    await f.create('asn', {
      supplier: f.supplier,
      warehouse: f.warehouse,
      expected_date: '2026-12-01',
      lines: [{ item: f.items[0]!.id, quantity: '5' }],
    });
    // Our stock of item 1 and item 2: 50 received, 40 of item 1 consumed.
    for (const item of [f.items[0]!.id, f.items[1]!.id]) {
      await postStockMove(f.s.db, f.schema, {
        idempotencyKey: `seed-${item}`,
        moveType: 'receipt',
        warehouse: f.warehouse,
        postingDate: '2026-11-20',
        lines: [{ item, toLocation: f.bins.get('A-01')!, quantity: '50', unitCost: '1' }],
      });
    }
    await postStockMove(f.s.db, f.schema, {
      idempotencyKey: 'use-1',
      moveType: 'issue',
      warehouse: f.warehouse,
      postingDate: new Date().toISOString().slice(0, 10),
      lines: [{ item: f.items[0]!.id, fromLocation: f.bins.get('A-01')!, quantity: '40' }],
    });
    await f.create('vmi_agreement', {
      code: 'VMI-1',
      supplier: f.supplier,
      item: f.items[0]!.id,
      warehouse: f.warehouse,
      min_qty: '20',
      max_qty: '100',
      consignment: true,
    });
    await f.create('vmi_agreement', {
      code: 'VMI-2',
      supplier: f.supplier,
      item: f.items[1]!.id,
      warehouse: f.warehouse,
      min_qty: '10',
      max_qty: '60',
    });
    await f.create('vmi_agreement', {
      code: 'VMI-3',
      supplier: other,
      item: otherItem,
      warehouse: f.warehouse,
      min_qty: '10',
      max_qty: '60',
    });
  });
  after(() => f.s.close());

  const as = (method: 'GET' | 'POST', url: string, body?: unknown) => f.s.callAs(token, method, url, body);

  it('sees only its own ASNs, items and agreements', async () => {
    const asns = (await as('GET', '/api/v1/asn')).body.data.items as { supplier: string }[];
    assert.equal(asns.length, 1);
    assert.equal(asns[0]!.supplier, f.supplier);
    assert.equal((await as('GET', `/api/v1/asn/${otherAsn}`)).status, 404);
    const items = (await as('GET', '/api/v1/item')).body.data.items as { id: string }[];
    assert.deepEqual(items.map((i) => i.id).sort(), f.items.map((i) => i.id).sort());
    assert.equal((await as('GET', `/api/v1/item/${otherItem}`)).status, 404);
    const agreements = (await as('GET', '/api/v1/vmi_agreement')).body.data.items as { code: string }[];
    assert.deepEqual(agreements.map((a) => a.code).sort(), ['VMI-1', 'VMI-2']);
    const foreign = await as('POST', '/api/v1/asn', {
      supplier: other,
      warehouse: f.warehouse,
      expected_date: '2026-12-02',
      lines: [{ item: otherItem, quantity: '1' }],
    });
    assert.equal(foreign.status, 403);
    assert.equal((await as('GET', '/api/v1/delivery_order')).status, 403);
    // Consignment entries: its own only.
    const agreementOf = async (code: string) => (await f.list('vmi_agreement', `filter[code]=${code}`))[0]!;
    for (const code of ['VMI-1', 'VMI-3']) {
      const a = await agreementOf(code);
      await f.create('consignment_entry', {
        agreement: a.id,
        supplier: a.supplier,
        item: a.item,
        warehouse: a.warehouse,
        kind: 'consumption',
        quantity: '2',
      });
    }
    const entries = (await as('GET', '/api/v1/consignment_entry')).body.data.items as { supplier: string }[];
    assert.deepEqual(
      entries.map((e) => e.supplier),
      [f.supplier],
    );
  });

  it('sees our stock, consumption and forecast, and proposes a replenishment ASN', async () => {
    const vmi = await as('GET', '/api/v1/wms/portal/vmi');
    assert.equal(vmi.status, 200, JSON.stringify(vmi.body));
    const [p1, p2] = vmi.body.data.items;
    assert.equal(vmi.body.data.items.length, 2);
    assert.equal(p1.itemCode, f.items[0]!.code);
    assert.equal(p1.onHand, '10');
    assert.equal(p1.incoming, '5');
    assert.equal(p1.consumed30d, '40');
    assert.equal(p1.forecast14d, '18.667');
    assert.equal(p1.suggested, '85', 'stock 10 + incoming 5 is below the minimum 20: fill to 100');
    assert.equal(p2.suggested, '0');
    const none = await f.s.callAs(
      await f.s.userWith({ username: 'nosup', roles: ['supplier_portal'] }),
      'GET',
      '/api/v1/wms/portal/vmi',
    );
    assert.equal(none.status, 403);
    assert.equal(none.body.error.code, 'WMS_PORTAL_NO_SUPPLIER');

    const created = await as('POST', '/api/v1/wms/portal/replenish', { expectedDate: '2026-12-03' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.data.source, 'vmi');
    assert.deepEqual(
      created.body.data.lines.map((l: { item: string; quantity: string }) => [l.item, l.quantity]),
      [[f.items[0]!.id, '85']],
    );
    const submitted = await as('POST', `/api/v1/asn/${created.body.data.id}/submit`, {});
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    assert.equal(submitted.body.data.status, 'submitted');
    const again = await as('GET', '/api/v1/wms/portal/vmi');
    assert.equal(again.body.data.items[0].suggested, '0', 'the ASN on its way counts as incoming');
  });
});
