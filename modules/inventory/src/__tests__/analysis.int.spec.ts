/** Labels and scanning, reorder suggestions, ABC, expiring lots, ageing and balances as of a date. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  abcAnalysis,
  expiringLots,
  lookupScannedCode,
  movementHistory,
  renderLabel,
  reorderSuggestions,
  stockAgeing,
  stockBalanceAsOf,
} from '../index.ts';
import { type Fixture, inventoryFixture } from './harness.ts';

describe('inventory analysis and labels', () => {
  let f: Fixture;
  let fast: string;
  let slow: string;
  let lot: string;
  before(async () => {
    f = await inventoryFixture();
    fast = await f.item({ barcode: '6901234567892' });
    slow = await f.item({ tracking: 'lot' });
    lot = (await f.create('lot', { item: slow, expires_on: '2026-02-10' })).id as string;
    const post = f.post;
    await post('r1', 'receipt', '2026-01-01', {
      item: fast,
      toLocation: f.bins[0]!,
      quantity: '100',
      unitCost: '1',
    });
    await post('r2', 'receipt', '2026-01-20', {
      item: slow,
      toLocation: f.bins[1]!,
      lot,
      quantity: '10',
      unitCost: '3',
    });
    await post('i1', 'issue', '2026-01-25', { item: fast, fromLocation: f.bins[0]!, quantity: '90' });
    await post('i2', 'issue', '2026-01-26', { item: slow, fromLocation: f.bins[1]!, lot, quantity: '1' });
    await f.create('reorder_rule', {
      item: fast,
      warehouse: f.warehouse,
      min_qty: '20',
      max_qty: '200',
      reorder_point: '15',
    });
    await f.create('reorder_rule', { item: slow, warehouse: f.warehouse, min_qty: '1', max_qty: '20' });
  });
  after(() => f.s.close());

  it('renders EAN-13, Code 128 and QR labels and refuses a bad EAN', async () => {
    const png = await renderLabel({ symbology: 'ean13', text: '6901234567892', format: 'png' });
    assert.equal((png.body as Buffer).subarray(1, 4).toString(), 'PNG');
    const svg = await renderLabel({ symbology: 'code128', text: 'ITM-202601-0001', format: 'svg' });
    assert.match(svg.body as string, /^<svg/);
    assert.equal(
      (await renderLabel({ symbology: 'qrcode', text: 'LOT-1', format: 'png' })).contentType,
      'image/png',
    );
    await assert.rejects(renderLabel({ symbology: 'ean13', text: '6901234567890', format: 'png' }), /EAN-13/);
  });

  it('finds what a scanned code names', async () => {
    assert.deepEqual(await lookupScannedCode(f.s.db, f.schema, '6901234567892'), {
      entity: 'item',
      id: fast,
      item: fast,
    });
    const lotCode = (await f.s.call('GET', `/api/v1/lot/${lot}`)).body.data.code as string;
    assert.match(lotCode, /^LOT-\d{8}-\d{3}$/);
    assert.equal((await lookupScannedCode(f.s.db, f.schema, ` ${lotCode} `))?.id, lot);
    assert.equal((await lookupScannedCode(f.s.db, f.schema, 'B2'))?.entity, 'location');
    assert.equal(await lookupScannedCode(f.s.db, f.schema, 'nothing'), null);
  });

  it('suggests reorders under the reorder point only', async () => {
    const s = await reorderSuggestions(f.s.db, f.schema);
    assert.deepEqual(
      s.map((x) => [x.item, x.suggestedQuantity]),
      [[fast, '190']],
    );
  });

  it('classes items by issued value and by picks', async () => {
    const byValue = await abcAnalysis(f.s.db, f.schema, {
      from: '2026-01-01',
      to: '2026-01-31',
      by: 'value',
    });
    assert.deepEqual(
      byValue.map((r) => [r.item, r.abcClass]),
      [
        [fast, 'A'],
        [slow, 'C'],
      ],
    );
  });

  it('lists lots expiring within the horizon, and ages layers', async () => {
    const soon = await expiringLots(f.s.db, f.schema, { today: '2026-02-01', withinDays: 14 });
    assert.deepEqual(
      soon.map((l) => [l.lot, Number(l.on_hand), l.expired]),
      [[lot, 9, false]],
    );
    assert.equal((await expiringLots(f.s.db, f.schema, { today: '2026-01-01', withinDays: 14 })).length, 0);
    const ageing = await stockAgeing(f.s.db, f.schema, { asOf: '2026-03-15' });
    assert.deepEqual(
      ageing.map((a) => [a.item, a.bucket, Number(a.quantity)]).sort(),
      [
        [fast, '61-90', 10],
        [slow, '31-60', 9],
      ].sort(),
    );
  });

  it('gives balances as of a date and the movement history of a lot', async () => {
    const jan10 = await stockBalanceAsOf(f.s.db, f.schema, { asOf: '2026-01-10' });
    assert.deepEqual(
      jan10.map((b) => [b.item, Number(b.quantity)]),
      [[fast, 100]],
    );
    const history = await movementHistory(f.s.db, f.schema, { lot });
    assert.deepEqual(
      history.map((h) => Number(h.quantity)),
      [10, -1],
    );
  });
});
