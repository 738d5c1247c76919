/**
 * Waves released automatically at fixed times: a tenant's cron rule creates a wave plan, the module's
 * rule runs it, and with `auto_release` the wave's pick lists and pick tasks exist without anyone
 * pressing a button. A plan with a bad grouping changes nothing and says why when run by hand. Cluster
 * picking through a plan; a move task created by hand becomes a task through the module's rule.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appendEvents } from '@tenon/design';
import { postStockMove } from '@tenon/inventory';
import { type WmsFixture, wmsFixture } from './harness.ts';

describe('wave plans', () => {
  let f: WmsFixture;
  before(async () => {
    f = await wmsFixture({ startKernel: { pollMs: 25 } });
    await postStockMove(f.s.db, f.schema, {
      idempotencyKey: 'seed',
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-11-20',
      lines: [
        { item: f.items[0]!.id, toLocation: f.bins.get('C-05')!, quantity: '50', unitCost: '1' },
        { item: f.items[1]!.id, toLocation: f.bins.get('A-02')!, quantity: '50', unitCost: '1' },
      ],
    });
    for (const carrier of ['SF', 'SF', 'JD']) {
      const order = await f.create('delivery_order', {
        customer: 'C',
        warehouse: f.warehouse,
        carrier,
        lines: [
          { item: f.items[0]!.id, quantity: '2' },
          { item: f.items[1]!.id, quantity: '3' },
        ],
      });
      await f.act('delivery_order', order.id, 'reserve');
    }
  });
  after(() => f.s.close());

  const waitFor = async (what: () => Promise<boolean>) => {
    for (let i = 0; i < 600; i++) {
      if (await what()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail('timed out');
  };

  it('a cron rule creates a plan at the fixed time; it runs and releases its waves', async () => {
    const saved = await f.s.call('POST', '/api/v1/meta/objects/rule', {
      name: 'wave_twice_a_day',
      label: { 'zh-CN': '每天 9 点和 14 点组波', en: 'Wave at 09:00 and 14:00' },
      event: { topic: 'cron', schedule: { cron: '0 9,14 * * 1-5', tz: 'Asia/Shanghai' } },
      instructions: [
        {
          do: 'create_record',
          entity: 'wave_plan',
          values: { warehouse: `'${f.warehouse}'`, group_by: "'carrier'", auto_release: 'true' },
        },
      ],
    });
    assert.equal(saved.status, 201, JSON.stringify(saved.body));
    await f.s.db.transaction((tx) =>
      appendEvents(
        tx,
        f.schema,
        [{ topic: 'cron', entity: null, recordId: null, payload: { schedule: 'wave_twice_a_day' } }],
        { actor: { userId: null, username: 'system' } },
      ),
    );
    await waitFor(async () => (await f.list('wave_plan', 'filter[status]=done')).length === 1);
    const [plan] = await f.list('wave_plan');
    assert.equal(plan!.waves_created, 2, 'SF and JD');
    const waves = await f.list('wave');
    assert.deepEqual(waves.map((w) => [w.carrier, w.status, w.order_count]).sort(), [
      ['JD', 'released', 1],
      ['SF', 'released', 2],
    ]);
    for (const wave of waves) assert.ok(Number(wave.route_length) <= Number(wave.naive_length));
    const lists = await f.list('pick_list');
    assert.equal(lists.length, 2);
    const tasks = (await f.s.call('GET', '/api/v1/processes?service=wms_pick')).body.data.items;
    assert.equal(tasks.length, 2);
  });

  it('a plan with an unknown grouping is refused when run and changes nothing', async () => {
    const plan = await f.create('wave_plan', { warehouse: f.warehouse, group_by: 'colour' });
    const r = await f.s.call('POST', `/api/v1/wave_plan/${plan.id}/run`, {});
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'WMS_BAD_INPUT');
    assert.equal((await f.s.call('GET', `/api/v1/wave_plan/${plan.id}`)).body.data.status, 'open');
  });

  it('cluster picking: carts of two orders, each order in its own tote', async () => {
    const orders: string[] = [];
    for (let i = 0; i < 3; i++) {
      const order = await f.create('delivery_order', {
        customer: `K${i}`,
        warehouse: f.warehouse,
        carrier: 'EMS',
        lines: [
          { item: f.items[0]!.id, quantity: '1' },
          { item: f.items[1]!.id, quantity: '1' },
        ],
      });
      await f.act('delivery_order', order.id, 'reserve');
      orders.push(order.id);
    }
    const plan = await f.create('wave_plan', {
      warehouse: f.warehouse,
      group_by: 'carrier',
      pick_kind: 'cluster',
      orders_per_list: 2,
      auto_release: true,
    });
    await waitFor(
      async () => (await f.s.call('GET', `/api/v1/wave_plan/${plan.id}`)).body.data.status === 'done',
    );
    const wave = (await f.list('wave')).find((w) => w.carrier === 'EMS')!;
    const lists = await f.list('pick_list', `filter[wave]=${wave.id}`);
    assert.deepEqual(
      lists.map((l) => l.kind),
      ['cluster', 'cluster'],
    );
    const lines = [];
    for (const l of lists)
      lines.push(...(await f.s.call('GET', `/api/v1/pick_list/${l.id}`)).body.data.lines);
    const toteOf = new Map<string, Set<number>>();
    for (const line of lines)
      toteOf.set(line.delivery_order, (toteOf.get(line.delivery_order) ?? new Set()).add(line.tote));
    assert.equal(toteOf.size, 3);
    for (const totes of toteOf.values()) assert.equal(totes.size, 1, 'one tote per order');
  });

  it('a move task created by hand becomes a clerk task and ends when scanned', async () => {
    const move = await f.create('move_task', {
      warehouse: f.warehouse,
      item: f.items[0]!.id,
      quantity: '5',
      from_location: f.bins.get('C-05'),
      to_location: f.bins.get('B-01'),
    });
    const task = async () =>
      (await f.s.call('GET', `/api/v1/processes?entity=move_task&recordId=${move.id}`)).body.data.items[0];
    await waitFor(async () => Boolean(await task()));
    assert.equal((await task()).service, 'wms_move');
    const done = await f.act('move_task', move.id, 'confirm', { location: 'B-01' });
    assert.equal(done.status, 'done');
    assert.equal((await task()).exitReason, 'done');
  });
});
