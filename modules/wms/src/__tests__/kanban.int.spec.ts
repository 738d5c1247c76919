/**
 * Kanban signals for Milk-Run: scanning a card raises one signal (not two while it is open); the
 * next run of the route visiting that supplier picks it up (its route sheet lists it); the run's
 * arrival turns the signals into a submitted ASN that is received like any other.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type WmsFixture, wmsFixture } from './harness.ts';

describe('kanban signals as Milk-Run pickups', () => {
  let f: WmsFixture;
  before(async () => {
    f = await wmsFixture();
  });
  after(() => f.s.close());

  it('rides the next run of the route that visits the supplier and arrives into receiving', async () => {
    const [i1, i2] = f.items as [WmsFixture['items'][0], WmsFixture['items'][0]];
    const elsewhere = (await f.create('wms_supplier', { code: 'SUP9', name: '外地供应商' })).id;
    const route = await f.create('milk_run_route', {
      code: 'MR-K',
      name: '看板环线',
      warehouse: f.warehouse,
      // One departure a day: a signal due today always rides the next run. With two a day, between
      // midnight and the first departure the second one meets today's due date as well, and the
      // signal would rightly wait for it (the test would depend on the time of day).
      departures: '08:00',
      stops: [{ supplier: f.supplier, drive_minutes: 30 }],
    });
    const card = await f.create('kanban_card', {
      code: 'KB-0001',
      supplier: f.supplier,
      item: i1.id,
      warehouse: f.warehouse,
      location: f.bins.get('A-01'),
      quantity: '24',
      lead_days: 0,
    });
    const other = await f.create('kanban_card', {
      code: 'KB-0002',
      supplier: elsewhere,
      item: i2.id,
      warehouse: f.warehouse,
      quantity: '10',
    });
    const scan = (code: string) => f.s.call('POST', '/api/v1/wms/kanban/scan', { code });
    const raised = await scan('KB-0001');
    assert.equal(raised.status, 201, JSON.stringify(raised.body));
    assert.equal(raised.body.data.status, 'open');
    assert.equal(raised.body.data.quantity, '24');
    const twice = await scan('KB-0001');
    assert.equal(twice.status, 409, 'a card is signalled once until its refill arrives');
    assert.equal((await scan('NOPE')).status, 422);
    await f.act('kanban_card', other.id, 'signal');
    assert.equal((await f.list('kanban_signal')).length, 2);

    await f.act('milk_run_route', route.id, 'plan_run');
    const run = (await f.list('milk_run', `filter[route]=${route.id}`))[0]!;
    const refs = run.plan.stops.flatMap((s: { items: { references: string[] }[] }) =>
      s.items.flatMap((i) => i.references),
    );
    assert.deepEqual(refs, [raised.body.data.number]);
    assert.deepEqual(
      run.plan.sheet.lines.map((l: { item: string; quantity: string }) => [l.item, l.quantity]),
      [[i1.id, '24']],
    );
    const pdf = await f.s.app.inject({
      method: 'GET',
      url: `/api/v1/wms/milk_run/${run.id}/route-sheet.pdf`,
      headers: { authorization: `Bearer ${f.s.adminToken}` },
    });
    assert.equal(pdf.statusCode, 200);
    const signals = await f.list('kanban_signal', 'sort=number');
    assert.deepEqual(
      signals.map((k) => [k.card, k.status, k.milk_run]),
      [
        [card.id, 'planned', run.id],
        [other.id, 'open', null],
      ],
    );

    await f.act('milk_run', run.id, 'arrive');
    const asns = await f.list('asn', 'filter[source]=milk_run');
    assert.equal(asns.length, 1);
    assert.equal(asns[0]!.status, 'submitted');
    assert.equal(asns[0]!.reference, run.number);
    const arrived = (await f.list('kanban_signal', `filter[card]=${card.id}`))[0]!;
    assert.deepEqual([arrived.status, arrived.asn], ['arrived', asns[0]!.id]);
    const received = await f.act('asn', asns[0]!.id, 'receive', { code: i1.barcode, quantity: '24' });
    assert.equal(received.status, 'received');
    assert.equal((await scan('KB-0001')).status, 201, 'the card can signal again');
  });
});
