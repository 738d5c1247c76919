/**
 * The quality hold at receiving: held units wait in the quarantine bin with no putaway; a released
 * receipt gets its putaway tasks from there, a rejected one is scrapped; each decision happens once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInventory } from '@tenon/inventory';
import { type WmsFixture, wmsFixture } from './harness.ts';

describe('quality hold', () => {
  let f: WmsFixture;
  before(async () => {
    f = await wmsFixture();
  });
  after(() => f.s.close());

  const onHand = async (item: string) =>
    (
      await f.s.db.query<{ q: string }>(
        `SELECT coalesce(trim_scale(sum(on_hand)), 0)::text AS q FROM "${f.schema}".inv_stock WHERE item_id = $1`,
        [item],
      )
    ).rows[0]!.q;

  it('holds, releases into putaway, rejects into scrap', async () => {
    const [a, b] = f.items;
    const asn = await f.create('asn', {
      supplier: f.supplier,
      warehouse: f.warehouse,
      expected_date: '2026-12-01',
      quality_hold: true,
      lines: [
        { item: a!.id, quantity: '10' },
        { item: b!.id, quantity: '5' },
      ],
    });
    await f.act('asn', asn.id, 'submit');
    await f.act('asn', asn.id, 'receive', { code: a!.barcode, quantity: '10' });
    await f.act('asn', asn.id, 'receive', { code: b!.barcode, quantity: '5' });
    assert.equal((await f.list('putaway_task')).length, 0, 'nothing is put away while held');
    const receipts = await f.list('goods_receipt', `filter[asn]=${asn.id}&sort=number`);
    assert.deepEqual(
      receipts.map((r) => r.quality),
      ['held', 'held'],
    );
    const qc = (await f.list('location', 'filter[code]=QC'))[0]!.id;
    assert.ok(receipts.every((r) => r.location === qc));

    const released = await f.act('goods_receipt', receipts[0]!.id, 'release_hold');
    assert.equal(released.quality, 'released');
    const tasks = await f.list('putaway_task');
    assert.ok(tasks.length >= 1 && tasks.every((t) => t.from_location === qc && t.suggested_location));
    for (const t of tasks) {
      const code = [...f.bins].find(([, id]) => id === t.suggested_location)![0];
      await f.act('putaway_task', t.id, 'confirm', { location: code });
    }
    assert.equal((await f.act('goods_receipt', receipts[1]!.id, 'reject')).quality, 'rejected');
    assert.equal(await onHand(a!.id), '10');
    assert.equal(await onHand(b!.id), '0');
    const again = await f.s.call('POST', `/api/v1/goods_receipt/${receipts[0]!.id}/release_hold`, {});
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'WMS_BAD_STATE');
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });
});
