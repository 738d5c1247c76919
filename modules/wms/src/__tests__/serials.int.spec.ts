/**
 * Serial capture at receiving: a serial-tracked item is received one scanned serial per unit;
 * duplicates in a scan and serials already in stock are refused with nothing written; the serials
 * are created, put away serial by serial, and the ledger stays consistent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInventory } from '@tenon/inventory';
import { type WmsFixture, wmsFixture } from './harness.ts';

describe('serial capture at receiving', () => {
  let f: WmsFixture;
  before(async () => {
    f = await wmsFixture();
  });
  after(() => f.s.close());

  const count = async (table: string) =>
    Number(
      (await f.s.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${f.schema}".${table}`)).rows[0]!
        .n,
    );
  const serialStock = async () =>
    (
      await f.s.db.query<{ serial_no: string; code: string }>(
        `SELECT n.serial_no, l.code FROM "${f.schema}".inv_balance b
           JOIN "${f.schema}".serial_number n ON n.id = b.serial_id
           JOIN "${f.schema}".location l ON l.id = b.location_id
         WHERE b.on_hand = 1 ORDER BY n.serial_no`,
      )
    ).rows.map((r) => `${r.serial_no}@${r.code}`);

  it('asks one serial per unit, refuses duplicates and serials in stock, puts away by serial', async () => {
    const pcs = (await f.list('uom'))[0]!.id;
    const scanner = await f.create('item', {
      name: '扫描枪',
      base_uom: pcs,
      standard_cost: '300',
      tracking: 'serial',
      barcode: '6900000000999',
    });
    const asn = await f.create('asn', {
      supplier: f.supplier,
      warehouse: f.warehouse,
      expected_date: '2026-12-01',
      lines: [{ item: scanner.id, quantity: '3' }],
    });
    await f.act('asn', asn.id, 'submit');
    const receive = (body: Record<string, unknown>) =>
      f.s.call('POST', `/api/v1/asn/${asn.id}/receive`, { code: '6900000000999', ...body });

    const none = await receive({ quantity: '2' });
    assert.equal(none.status, 400);
    assert.equal(none.body.error.code, 'WMS_BAD_INPUT');
    const fewer = await receive({ quantity: '2', serials: ['SN-A'] });
    assert.equal(fewer.status, 400, 'two units need two serials');
    const twice = await receive({ quantity: '2', serials: ['SN-A', 'SN-A'] });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'WMS_SERIAL_DUPLICATE');
    assert.equal(await count('serial_number'), 0, 'a refused scan writes nothing');
    assert.equal(await count('goods_receipt'), 0);

    const ok = await receive({ quantity: '2', serials: ['SN-A', ' SN-B '] });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(await serialStock(), ['SN-A@DOCK', 'SN-B@DOCK']);
    const again = await receive({ quantity: '1', serials: ['SN-B'] });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'WMS_SERIAL_IN_STOCK');
    assert.equal(await count('serial_number'), 2);

    const last = await receive({ quantity: '1', serials: ['SN-C'] });
    assert.equal(last.status, 200);
    assert.equal(last.body.data.status, 'received');
    const receipts = await f.list('goods_receipt', `filter[asn]=${asn.id}&sort=number`);
    assert.deepEqual(
      receipts.map((r) => (r.serials as { accepted: string[] }).accepted),
      [['SN-A', 'SN-B'], ['SN-C']],
    );

    const tasks = await f.list('putaway_task', 'filter[status]=open');
    assert.equal(
      tasks.reduce((n, t) => n + (t.serials as unknown[]).length, 0),
      3,
    );
    for (const task of tasks) {
      const code = [...f.bins].find(([, id]) => id === task.suggested_location)![0];
      await f.act('putaway_task', task.id, 'confirm', { location: code });
    }
    const placed = await serialStock();
    assert.equal(placed.length, 3);
    assert.ok(
      placed.every((p) => !p.endsWith('@DOCK')),
      placed.join(),
    );
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });
});
