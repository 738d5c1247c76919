/**
 * A test server with org + inventory + wms and a small warehouse: three aisles of five bins (x/y),
 * a receiving dock, a quarantine bin, a supplier and three items (one lot-tracked).
 */
import assert from 'node:assert/strict';
import { inventoryModule } from '@tenon/inventory';
import { orgModule } from '@tenon/org';
import { createTestServer, type JsonBody, type TestServer } from '@tenon/server/testing';
import { wmsModule, wmsRoutes } from '../index.ts';

export type WmsFixture = {
  s: TestServer;
  schema: string;
  warehouse: string;
  dock: string;
  bins: Map<string, string>;
  supplier: string;
  items: { id: string; code: string; barcode: string }[];
  create(entity: string, body: Record<string, unknown>): Promise<JsonBody>;
  act(entity: string, id: string, action: string, body?: unknown): Promise<JsonBody>;
  list(entity: string, query?: string): Promise<JsonBody[]>;
};

export async function wmsFixture(
  server: Omit<Parameters<typeof createTestServer>[0] & object, 'modules' | 'routes'> = {},
): Promise<WmsFixture> {
  const s = await createTestServer({
    ...server,
    modules: [orgModule, inventoryModule, wmsModule],
    routes: [wmsRoutes],
  });
  const create = async (entity: string, body: Record<string, unknown>) => {
    const r = await s.call('POST', `/api/v1/${entity}`, body);
    assert.equal(r.status, 201, `${entity}: ${JSON.stringify(r.body)}`);
    return r.body.data as JsonBody;
  };
  const act = async (entity: string, id: string, action: string, body: unknown = {}) => {
    const r = await s.call('POST', `/api/v1/${entity}/${id}/${action}`, body);
    assert.equal(r.status, 200, `${entity}.${action}: ${JSON.stringify(r.body)}`);
    return r.body.data as JsonBody;
  };
  const list = async (entity: string, query = '') => {
    const r = await s.call('GET', `/api/v1/${entity}?pageSize=500${query ? `&${query}` : ''}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.data.items as JsonBody[];
  };
  const company = (await create('company', { code: 'C1', name: 'Company 1' })).id as string;
  const pcs = (await create('uom', { code: 'PCS', name: 'Piece' })).id as string;
  const warehouse = (await create('warehouse', { code: 'WH1', name: '主仓库', company })).id as string;
  const zone = (await create('location', { code: 'Z1', warehouse, level: 'zone' })).id as string;
  const dock = (
    await create('location', {
      code: 'DOCK',
      warehouse,
      parent: zone,
      level: 'bin',
      bin_type: 'receiving',
      x: '0',
      y: '0',
    })
  ).id as string;
  await create('location', { code: 'QC', warehouse, parent: zone, level: 'bin', bin_type: 'quarantine' });
  const bins = new Map<string, string>();
  let seq = 0;
  for (const [a, x] of [
    ['A', 2],
    ['B', 6],
    ['C', 10],
  ] as const) {
    const aisle = (
      await create('location', { code: a, warehouse, parent: zone, level: 'aisle', x: String(x) })
    ).id as string;
    for (let i = 1; i <= 5; i++) {
      const code = `${a}-0${i}`;
      const id = (
        await create('location', {
          code,
          warehouse,
          parent: aisle,
          level: 'bin',
          bin_type: 'storage',
          x: String(x - 1),
          y: String(i * 2),
          pick_sequence: seq++,
          capacity_units: 100,
        })
      ).id as string;
      bins.set(code, id);
    }
  }
  const supplier = (await create('wms_supplier', { code: 'SUP1', name: '华东五金' })).id as string;
  const items: WmsFixture['items'] = [];
  for (const [i, tracking] of ['none', 'none', 'lot'].entries()) {
    const barcode = `69000000000${i}`;
    const item = await create('item', {
      name: `物料 ${i + 1}`,
      base_uom: pcs,
      standard_cost: '2.50',
      tracking,
      barcode,
      default_supplier: 'SUP1',
    });
    items.push({ id: item.id as string, code: item.code as string, barcode });
  }
  return { s, schema: s.tenant.schemaName, warehouse, dock, bins, supplier, items, create, act, list };
}

/** Waves the warehouse's reserved orders, releases the wave, picks every line in full, packs and ships `orders`. */
export async function waveAndShip(f: WmsFixture, orders: string[]): Promise<void> {
  const waved = await f.s.call('POST', '/api/v1/wms/waves', {
    warehouse: f.warehouse,
    rule: { groupBy: ['carrier'] },
  });
  assert.equal(waved.status, 201, JSON.stringify(waved.body));
  for (const wave of waved.body.data.waves as { id: string }[]) {
    await f.act('wave', wave.id, 'release');
    for (const list of await f.list('pick_list', `filter[wave]=${wave.id}`)) {
      for (let guard = 0; guard < 50; guard++) {
        const next = (await f.s.call('GET', `/api/v1/wms/pick_list/${list.id}/next`)).body.data;
        if (!next) break;
        await f.act('pick_list', list.id, 'confirm_pick', {
          location: next.bin,
          code: next.barcode ?? next.itemCode,
          quantity: next.quantity,
        });
      }
    }
  }
  for (const [n, order] of orders.entries()) {
    await f.act('delivery_order', order, 'pack', { cartons: [{ weight: '1.5' }] });
    await f.act('delivery_order', order, 'ship', {
      trackingNumber: `T-${n}-${order.slice(-6)}`,
      carrier: 'SF',
    });
  }
}
