/** A test server with org + inventory installed and a small warehouse: company, unit, bins, items. */
import assert from 'node:assert/strict';
import { orgModule } from '@tenon/org';
import { createTestServer, type JsonBody, type TestServer } from '@tenon/server/testing';
import { inventoryModule, inventoryRoutes, postStockMove } from '../index.ts';

export type Fixture = {
  s: TestServer;
  schema: string;
  company: string;
  warehouse: string;
  bins: string[];
  create(entity: string, body: Record<string, unknown>): Promise<JsonBody>;
  item(body?: Record<string, unknown>): Promise<string>;
  /** Posts a one-line move in the fixture's warehouse. */
  post(
    key: string,
    moveType: 'receipt' | 'issue',
    postingDate: string,
    line: Record<string, string>,
    extra?: Record<string, unknown>,
  ): Promise<unknown>;
};

export async function inventoryFixture(
  options: {
    allowNegative?: boolean;
    poolSize?: number;
    server?: Omit<Parameters<typeof createTestServer>[0], 'modules' | 'routes'>;
  } = {},
): Promise<Fixture> {
  const s = await createTestServer({
    ...options.server,
    modules: [orgModule, inventoryModule],
    routes: [inventoryRoutes],
  });
  const create = async (entity: string, body: Record<string, unknown>) => {
    const r = await s.call('POST', `/api/v1/${entity}`, body);
    assert.equal(r.status, 201, `${entity}: ${JSON.stringify(r.body)}`);
    return r.body.data as JsonBody;
  };
  const company = (await create('company', { code: 'C1', name: 'Company 1' })).id as string;
  const pcs = (await create('uom', { code: 'PCS', name: 'Piece' })).id as string;
  const warehouse = (
    await create('warehouse', {
      code: 'WH1',
      name: 'Main',
      company,
      allow_negative: options.allowNegative ?? false,
    })
  ).id as string;
  const zone = (await create('location', { code: 'Z1', warehouse, level: 'zone' })).id as string;
  const bins: string[] = [];
  for (const code of ['B1', 'B2', 'B3']) {
    bins.push(
      (
        await create('location', {
          code,
          warehouse,
          parent: zone,
          level: 'bin',
          bin_type: 'storage',
          pick_sequence: bins.length,
        })
      ).id as string,
    );
  }
  let n = 0;
  const item = async (body: Record<string, unknown> = {}) =>
    (await create('item', { name: `Item ${++n}`, base_uom: pcs, standard_cost: '1.00', ...body }))
      .id as string;
  const schema = s.tenant.schemaName;
  const post: Fixture['post'] = (key, moveType, postingDate, line, extra = {}) =>
    postStockMove(s.db, schema, {
      idempotencyKey: key,
      moveType,
      warehouse,
      postingDate,
      lines: [line as never],
      ...extra,
    });
  return { s, schema, company, warehouse, bins, create, item, post };
}
