/**
 * `npx tsx bench/wms-release.ts`: releasing a wave through the warehouse services on a real database
 * (the domain alone is `npm run bench -- wms`). 1,000 delivery orders x 5 lines, reserved through
 * inventory, waved by one rule, then released into batch pick lists of 20 orders with routes: the
 * release reads the reservations and bin stock, builds and routes the lists, writes the pick lists
 * and their lines and opens one kernel task per list, in one transaction. Wall time and this
 * process's CPU time (with PGlite that includes the database) are printed, with the load average.
 *
 *   TEST_DATABASE_URL    PostgreSQL (default: PGlite in memory, as the tests)
 *   BENCH_WMS_ORDERS     orders (default 1000), 5 lines each
 */
import assert from 'node:assert/strict';
import { inventoryModule, postStockMove } from '@tenon/inventory';
import { orgModule } from '@tenon/org';
import { createTestServer } from '@tenon/server/testing';
import { wmsModule, wmsRoutes } from '@tenon/wms';
import { prng } from './wms-data.ts';

const log = (line: string) => console.error(line);
const ORDERS = Number(process.env.BENCH_WMS_ORDERS ?? 1000);
const AISLES = 20;
const SLOTS = 25;

async function main(): Promise<void> {
  const s = await createTestServer({ modules: [orgModule, inventoryModule, wmsModule], routes: [wmsRoutes] });
  const schema = s.tenant.schemaName;
  const create = async (entity: string, body: Record<string, unknown>) => {
    const r = await s.call('POST', `/api/v1/${entity}`, body);
    assert.equal(r.status, 201, `${entity}: ${JSON.stringify(r.body)}`);
    return r.body.data.id as string;
  };
  try {
    const started = performance.now();
    const company = await create('company', { code: 'C1', name: 'C1' });
    const pcs = await create('uom', { code: 'PCS', name: 'Piece' });
    const warehouse = await create('warehouse', { code: 'WH', name: 'WH', company });
    await create('location', { code: 'DOCK', warehouse, level: 'bin', bin_type: 'shipping', x: '0', y: '0' });
    const bins: string[] = [];
    for (let a = 0; a < AISLES; a++) {
      const aisle = await create('location', {
        code: `A${String(a).padStart(2, '0')}`,
        warehouse,
        level: 'aisle',
        x: String(3 * a + 1),
      });
      for (let i = 0; i < SLOTS; i++)
        bins.push(
          await create('location', {
            code: `A${String(a).padStart(2, '0')}-${String(i).padStart(2, '0')}`,
            warehouse,
            parent: aisle,
            level: 'bin',
            bin_type: 'storage',
            x: String(3 * a),
            y: String(i + 1),
            pick_sequence: a * SLOTS + i,
          }),
        );
    }
    const items: string[] = [];
    for (let i = 0; i < bins.length; i++)
      items.push(await create('item', { name: `Item ${i}`, base_uom: pcs }));
    for (let k = 0; k < items.length; k += 100) {
      await postStockMove(s.db, schema, {
        idempotencyKey: `seed-${k}`,
        moveType: 'receipt',
        warehouse,
        postingDate: '2026-11-01',
        lines: items
          .slice(k, k + 100)
          .map((item, j) => ({ item, toLocation: bins[k + j]!, quantity: '100000', unitCost: '1' })),
      });
    }
    const random = prng(20261127);
    for (let o = 0; o < ORDERS; o++) {
      const used = new Set<number>();
      while (used.size < 5) used.add(Math.floor(random() * items.length));
      const id = await create('delivery_order', {
        customer: `C${o}`,
        warehouse,
        carrier: 'SF',
        lines: [...used].map((i) => ({ item: items[i], quantity: String(1 + Math.floor(random() * 5)) })),
      });
      const r = await s.call('POST', `/api/v1/delivery_order/${id}/reserve`, {});
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    log(
      `setup: ${bins.length} bins, ${items.length} items, ${ORDERS} orders reserved in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    let t = performance.now();
    let cpu = process.cpuUsage();
    const waved = await s.call('POST', '/api/v1/wms/waves', {
      warehouse,
      rule: { groupBy: ['carrier'], maxOrders: ORDERS },
      ordersPerList: 20,
    });
    assert.equal(waved.status, 201, JSON.stringify(waved.body));
    const waveMs = performance.now() - t;
    const waveCpu = process.cpuUsage(cpu);
    const wave = waved.body.data.waves[0];
    t = performance.now();
    cpu = process.cpuUsage();
    const released = await s.call('POST', `/api/v1/wave/${wave.id}/release`, {});
    assert.equal(released.status, 200, JSON.stringify(released.body));
    const releaseMs = performance.now() - t;
    const releaseCpu = process.cpuUsage(cpu);
    const ms = (u: NodeJS.CpuUsage) => Math.round((u.user + u.system) / 1000);
    const { rows } = await s.db.query<{ lists: string; lines: string }>(
      `SELECT count(DISTINCT parent_id)::text AS lists, count(*)::text AS lines FROM "${schema}".pick_list_line`,
    );
    const w = released.body.data;
    const saving = 1 - Number(w.route_length) / Number(w.naive_length);
    const db = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
    console.log(
      JSON.stringify({
        database: db,
        orders: ORDERS,
        waveMs: Math.round(waveMs),
        waveCpuMs: ms(waveCpu),
        releaseMs: Math.round(releaseMs),
        releaseCpuMs: ms(releaseCpu),
        loadAverage: (await import('node:os')).loadavg()[0]!.toFixed(1),
        lists: Number(rows[0]!.lists),
        pickLines: Number(rows[0]!.lines),
        routeLength: w.route_length,
        naiveLength: w.naive_length,
        saving: `${(saving * 100).toFixed(1)}%`,
      }),
    );
  } finally {
    await s.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
