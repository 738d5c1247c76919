/** The /api/v1/inventory endpoints: answers, 400s on bad parameters, 409 on shortage, permissions. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Fixture, inventoryFixture } from './harness.ts';

describe('inventory HTTP endpoints', () => {
  let f: Fixture;
  let bolt: string;
  let pill: string;
  let lot: string;
  let reader: string;
  let stranger: string;
  let salesClerk: string;
  before(async () => {
    f = await inventoryFixture();
    bolt = await f.item({ barcode: '6901234567892' });
    pill = await f.item({ tracking: 'lot' });
    lot = (await f.create('lot', { item: pill, expires_on: '2026-02-10' })).id as string;
    const post = f.post;
    await post('r1', 'receipt', '2026-01-01', {
      item: bolt,
      toLocation: f.bins[0]!,
      quantity: '10',
      unitCost: '2',
    });
    await post('r2', 'receipt', '2026-01-15', {
      item: bolt,
      toLocation: f.bins[1]!,
      quantity: '5',
      unitCost: '3',
    });
    await post('r3', 'receipt', '2026-01-20', {
      item: pill,
      toLocation: f.bins[2]!,
      lot,
      quantity: '8',
      unitCost: '1',
    });
    await post('i1', 'issue', '2026-01-25', { item: bolt, fromLocation: f.bins[0]!, quantity: '4' });
    await f.s.define([
      {
        name: 'sales_order',
        label: { 'zh-CN': '销售订单', en: 'Sales order' },
        fields: [{ name: 'ref', label: { 'zh-CN': '编号', en: 'Ref' }, kind: 'string' }],
      },
    ]);
    const role = async (name: string, permissions: { entity: string; actions: string[] }[]) => {
      const r = await f.s.call('PUT', `/api/v1/security/roles/${name}`, {
        label: { 'zh-CN': name, en: name },
        permissions,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    };
    await role('stock_reader', [
      { entity: 'item', actions: ['read'] },
      { entity: 'stock_move', actions: ['read'] },
      { entity: 'lot', actions: ['read'] },
    ]);
    await role('sales_clerk', [
      { entity: 'item', actions: ['read'] },
      { entity: 'sales_order', actions: ['read', 'update'] },
    ]);
    reader = await f.s.userWith({ username: 'reader', roles: ['stock_reader'] });
    stranger = await f.s.userWith({ username: 'stranger', roles: [] });
    salesClerk = await f.s.userWith({ username: 'clerk', roles: ['sales_clerk'] });
  });
  after(() => f.s.close());

  const get = (url: string, token?: string) => f.s.callAs(token ?? f.s.adminToken, 'GET', url);

  it('gives the balance as of a date with filters, and the value as of a date', async () => {
    const jan10 = await get(`/api/v1/inventory/balance?asOf=2026-01-10&item=${bolt}`, reader);
    assert.equal(jan10.status, 200, JSON.stringify(jan10.body));
    assert.deepEqual(
      jan10.body.data.items.map((b: { location: string; quantity: string }) => [
        b.location,
        Number(b.quantity),
      ]),
      [[f.bins[0], 10]],
    );
    const byLot = await get(`/api/v1/inventory/balance?lot=${lot}`);
    assert.equal(byLot.body.data.total, 1);
    assert.equal(Number(byLot.body.data.items[0].quantity), 8);
    const byLocation = await get(`/api/v1/inventory/balance?location=${f.bins[1]}`);
    assert.deepEqual(
      byLocation.body.data.items.map((b: { item: string }) => b.item),
      [bolt],
    );
    const value = await get('/api/v1/inventory/value?asOf=2026-01-31');
    const boltValue = value.body.data.items.find((v: { item: string }) => v.item === bolt);
    // 10 @ 2 + 5 @ 3 in, 4 @ 2 out (FIFO): 11 units worth 27.
    assert.deepEqual([Number(boltValue.quantity), Number(boltValue.value)], [11, 27]);
  });

  it('gives availability per warehouse, location and lot', async () => {
    const r = await get(`/api/v1/inventory/availability?item=${pill}`, reader);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.data.warehouses[0].available, '8.000000000');
    assert.deepEqual(
      r.body.data.locations.map((l: { location: string; lot: string }) => [l.location, l.lot]),
      [[f.bins[2], lot]],
    );
    assert.equal(Number(r.body.data.lots[0].available), 8);
  });

  it('lists movements, reorder suggestions, ABC classes, ageing and expiring lots', async () => {
    const moves = await get(`/api/v1/inventory/movements?item=${bolt}`, reader);
    assert.deepEqual(
      moves.body.data.items.map((m: { quantity: string }) => Number(m.quantity)),
      [10, 5, -4],
    );
    await f.create('reorder_rule', { item: bolt, warehouse: f.warehouse, min_qty: '20', max_qty: '50' });
    const reorder = await get('/api/v1/inventory/reorder-suggestions');
    assert.deepEqual(
      reorder.body.data.items.map((s: { item: string; suggestedQuantity: string }) => [
        s.item,
        s.suggestedQuantity,
      ]),
      [[bolt, '39']],
    );
    const abc = await get('/api/v1/inventory/abc?from=2026-01-01&to=2026-01-31&by=picks&a=0.5&b=0.9', reader);
    assert.deepEqual(
      abc.body.data.items.map((x: { item: string; abcClass: string }) => [x.item, x.abcClass]),
      [[bolt, 'A']],
    );
    const ageing = await get('/api/v1/inventory/ageing?asOf=2026-03-01', reader);
    assert.ok(
      ageing.body.data.items.some(
        (a: { item: string; bucket: string }) => a.item === pill && a.bucket === '31-60',
      ),
    );
    const expiring = await get('/api/v1/inventory/expiring-lots?today=2026-02-01&withinDays=14', reader);
    assert.deepEqual(
      expiring.body.data.items.map((l: { lot: string }) => l.lot),
      [lot],
    );
  });

  it('refuses bad parameters with 400 and a clear field', async () => {
    for (const [url, field] of [
      ['/api/v1/inventory/balance?asOf=2026-02-30', 'asOf'],
      ['/api/v1/inventory/balance?item=nope', 'item'],
      ['/api/v1/inventory/availability', 'item'],
      ['/api/v1/inventory/movements', 'item'],
      ['/api/v1/inventory/abc?by=weight', 'by'],
      ['/api/v1/inventory/abc?a=0.9&b=0.5', 'a'],
      ['/api/v1/inventory/abc?a=2', 'a'],
      ['/api/v1/inventory/expiring-lots?withinDays=-1', 'withinDays'],
      [`/api/v1/inventory/items/${bolt}/label?format=gif`, 'format'],
      ['/api/v1/inventory/scan', 'code'],
    ] as const) {
      const r = await get(url);
      assert.equal(r.status, 400, `${url}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'INVENTORY_BAD_INPUT');
      assert.equal(r.body.error.details[0].field, field, url);
    }
  });

  it('needs read permission on the entity the answer is about', async () => {
    for (const url of [
      '/api/v1/inventory/balance',
      '/api/v1/inventory/value',
      `/api/v1/inventory/availability?item=${bolt}`,
      `/api/v1/inventory/scan?code=B1`,
      `/api/v1/inventory/items/${bolt}/label`,
    ]) {
      const r = await get(url, stranger);
      assert.equal(r.status, 403, url);
      assert.equal(r.body.error.code, 'ACCESS_DENIED');
    }
    assert.equal((await f.s.callAs(null, 'GET', '/api/v1/inventory/balance')).status, 401);
    // The scanned code names a location: reading it needs read on location too.
    assert.equal((await get('/api/v1/inventory/scan?code=B1', reader)).status, 403);
  });

  it('renders labels and finds a scanned code', async () => {
    const png = await f.s.app.inject({
      method: 'GET',
      url: `/api/v1/inventory/items/${bolt}/label?format=png&symbology=ean13`,
      headers: { authorization: `Bearer ${reader}` },
    });
    assert.equal(png.statusCode, 200);
    assert.equal(png.headers['content-type'], 'image/png');
    assert.equal(png.rawPayload.subarray(1, 4).toString(), 'PNG');
    const svg = await f.s.app.inject({
      method: 'GET',
      url: `/api/v1/inventory/items/${pill}/label?format=svg&symbology=qr`,
      headers: { authorization: `Bearer ${reader}` },
    });
    assert.match(svg.body, /^<svg/);
    const noEan = await get(`/api/v1/inventory/items/${pill}/label?symbology=ean13`);
    assert.equal(noEan.status, 400);
    const missing = await get('/api/v1/inventory/items/0190b8a0-0000-7000-8000-000000000000/label');
    assert.equal(missing.status, 404);
    const hit = await get('/api/v1/inventory/scan?code=6901234567892', reader);
    assert.deepEqual(hit.body.data, { entity: 'item', id: bolt, item: bolt });
    const none = await get('/api/v1/inventory/scan?code=unknown', reader);
    assert.equal(none.status, 404);
    assert.equal(none.body.error.code, 'INVENTORY_NOT_FOUND');
  });

  it('reserves and releases against a source document; shortage is a 409', async () => {
    const body = { item: bolt, warehouse: f.warehouse, sourceType: 'sales_order', sourceId: 'SO-1' };
    const ok = await f.s.callAs(salesClerk, 'POST', '/api/v1/inventory/reservations', {
      ...body,
      quantity: '7',
    });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.data.reserved, '7');
    const short = await f.s.callAs(salesClerk, 'POST', '/api/v1/inventory/reservations', {
      ...body,
      quantity: '5',
    });
    assert.equal(short.status, 409);
    assert.equal(short.body.error.code, 'INVENTORY_INSUFFICIENT_AVAILABLE');
    const partial = await f.s.callAs(salesClerk, 'POST', '/api/v1/inventory/reservations', {
      ...body,
      quantity: '5',
      allowPartial: true,
    });
    assert.deepEqual([partial.body.data.reserved, partial.body.data.backorder], ['4', '1']);
    const avail = await get(`/api/v1/inventory/availability?item=${bolt}`);
    assert.equal(Number(avail.body.data.warehouses[0].available), 0);
    // Update on the source entity is needed; a source outside the metamodel needs $inventory reserve.
    const denied = await f.s.callAs(reader, 'POST', '/api/v1/inventory/reservations', {
      ...body,
      quantity: '1',
    });
    assert.equal(denied.status, 403);
    const external = await f.s.callAs(salesClerk, 'POST', '/api/v1/inventory/reservations', {
      ...body,
      sourceType: 'webshop',
      quantity: '1',
    });
    assert.equal(external.status, 403);
    const badQty = await f.s.call('POST', '/api/v1/inventory/reservations', { ...body, quantity: 'lots' });
    assert.equal(badQty.status, 400);
    const released = await f.s.callAs(salesClerk, 'POST', '/api/v1/inventory/reservations/release', {
      sourceType: 'sales_order',
      sourceId: 'SO-1',
    });
    assert.equal(released.status, 200, JSON.stringify(released.body));
    assert.equal(released.body.data.released, 2);
    const after = await get(`/api/v1/inventory/availability?item=${bolt}`);
    assert.equal(Number(after.body.data.warehouses[0].available), 11);
  });
});
