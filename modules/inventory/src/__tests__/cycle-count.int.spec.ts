/** A blind cycle count: counters never see book quantities; approval posts the variances as one adjustment. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInventory, postStockMove } from '../index.ts';
import { type Fixture, inventoryFixture } from './harness.ts';

describe('cycle counts', () => {
  let f: Fixture;
  let a: string;
  let b: string;
  before(async () => {
    f = await inventoryFixture();
    a = await f.item();
    b = await f.item();
    await postStockMove(f.s.db, f.schema, {
      idempotencyKey: 'count-setup',
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-01-02',
      lines: [
        { item: a, toLocation: f.bins[0]!, quantity: '10', unitCost: '2' },
        { item: b, toLocation: f.bins[1]!, quantity: '5', unitCost: '4' },
      ],
    });
  });
  after(() => f.s.close());

  const onHand = async (item: string, location: string) =>
    Number(
      (
        await f.s.db.query<{ q: string }>(
          `SELECT on_hand::text AS q FROM "${f.schema}".inv_balance WHERE item_id = $1 AND location_id = $2`,
          [item, location],
        )
      ).rows[0]!.q,
    );

  it('counts blind, submits variances, adjusts after approval', async () => {
    const session = await f.create('count_session', {
      warehouse: f.warehouse,
      posting_date: '2026-01-31',
      lines: [
        { location: f.bins[0], item: a, counted_qty: '8' },
        { location: f.bins[1], item: b, counted_qty: '6' },
      ],
    });
    assert.equal(session.status, 'counting');
    assert.equal(session.lines[0].book_qty ?? null, null, 'counters do not see the book quantity');
    assert.equal((await f.s.call('POST', `/api/v1/count_session/${session.id}/approve`, {})).status, 409);
    const submitted = await f.s.call('POST', `/api/v1/count_session/${session.id}/submit`, {});
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    const read = await f.s.call('GET', `/api/v1/count_session/${session.id}?expand=lines`);
    const variances = read.body.data.lines.map((l: { variance: string }) => Number(l.variance));
    assert.deepEqual(variances, [-2, 1]);
    assert.equal(await onHand(a, f.bins[0]!), 10, 'nothing moves before approval');
    const approved = await f.s.call('POST', `/api/v1/count_session/${session.id}/approve`, {});
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.data.status, 'approved');
    assert.equal(await onHand(a, f.bins[0]!), 8);
    assert.equal(await onHand(b, f.bins[1]!), 6);
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });
});
