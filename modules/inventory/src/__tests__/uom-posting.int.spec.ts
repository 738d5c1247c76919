/** A move line entered in another unit of the item is posted in base units; bad units are 422s. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Fixture, inventoryFixture } from './harness.ts';

describe('posting in another unit', () => {
  let f: Fixture;
  let widget: string;
  let box: string;
  let gram: string;
  before(async () => {
    f = await inventoryFixture();
    widget = await f.item();
    const pcs = (await f.s.call('GET', `/api/v1/item/${widget}`)).body.data.base_uom as string;
    box = (await f.create('uom', { code: 'BOX', name: 'Box' })).id as string;
    gram = (await f.create('uom', { code: 'G', name: 'Gram', precision: 0 })).id as string;
    await f.create('uom_conversion', { from_uom: box, to_uom: pcs, factor: '12', item: widget });
    await f.create('uom_conversion', { from_uom: pcs, to_uom: gram, factor: '250' });
  });
  after(() => f.s.close());

  const post = async (lines: Record<string, unknown>[], move_type = 'receipt') => {
    const doc = await f.create('stock_move', {
      move_type,
      warehouse: f.warehouse,
      posting_date: '2026-01-10',
      lines,
    });
    return f.s.call('POST', `/api/v1/stock_move/${doc.id}/post`, {});
  };
  const ledger = async () =>
    (await f.s.call('GET', `/api/v1/inventory/movements?item=${widget}`)).body.data.items.map(
      (m: { quantity: string; value: string }) => [Number(m.quantity), Number(m.value)],
    );

  it('converts boxes to pieces with the value kept', async () => {
    const r = await post([
      { item: widget, to_location: f.bins[0], quantity: '2', uom: box, unit_cost: '30' },
    ]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(await ledger(), [[24, 60]]);
  });

  it('converts through a general conversion in the reverse direction', async () => {
    const r = await post([{ item: widget, from_location: f.bins[0], quantity: '1000', uom: gram }], 'issue');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual((await ledger()).at(-1), [-4, -10]);
  });

  it('refuses a unit without conversion and a result finer than the base unit, writing nothing', async () => {
    const litre = (await f.create('uom', { code: 'L', name: 'Litre' })).id as string;
    const none = await post([{ item: widget, to_location: f.bins[0], quantity: '1', uom: litre }]);
    assert.equal(none.status, 422);
    assert.equal(none.body.error.code, 'INVENTORY_UOM_NO_CONVERSION');
    const fine = await post([{ item: widget, to_location: f.bins[0], quantity: '100', uom: gram }]);
    assert.equal(fine.status, 422);
    assert.equal(fine.body.error.code, 'INVENTORY_UOM_NOT_REPRESENTABLE');
    assert.equal((await ledger()).length, 2);
  });
});
