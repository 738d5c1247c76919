/** The warehouse demo loads on a fresh tenant (stock put away, orders reserved) and only once. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemContext } from '@tenon/design';
import { checkInventory, inventoryModule } from '@tenon/inventory';
import { orgModule } from '@tenon/org';
import { createTestServer, type TestServer } from '@tenon/server/testing';
import { loadWmsDemo } from '../demo/wms-demo.ts';
import { wmsModule, wmsRoutes } from '../index.ts';

describe('wms demo', () => {
  let s: TestServer;
  before(async () => {
    s = await createTestServer({ modules: [orgModule, inventoryModule, wmsModule], routes: [wmsRoutes] });
  });
  after(() => s.close());

  it('loads once and leaves orders ready to wave', async () => {
    const ctx = systemContext({ db: s.db, metamodel: await s.deps.metamodels.forTenant(s.tenant) });
    const demo = await loadWmsDemo(s.db, ctx);
    assert.ok(demo);
    assert.equal(await loadWmsDemo(s.db, ctx), null);
    const open = await s.call('GET', '/api/v1/putaway_task?filter[status]=open');
    assert.equal(open.body.data.items.length, 0);
    const waved = await s.call('POST', '/api/v1/wms/waves', {
      warehouse: demo.warehouse,
      rule: { groupBy: ['carrier'] },
    });
    assert.equal(waved.status, 201, JSON.stringify(waved.body));
    assert.equal(waved.body.data.waves[0].order_count, 3);
    const released = await s.call('POST', `/api/v1/wave/${waved.body.data.waves[0].id}/release`, {});
    assert.equal(released.status, 200, JSON.stringify(released.body));
    assert.ok(Number(released.body.data.route_length) <= Number(released.body.data.naive_length));
    assert.deepEqual((await checkInventory(s.db, s.tenant.schemaName)).drift, []);
  });
});
