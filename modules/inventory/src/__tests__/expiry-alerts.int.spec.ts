/**
 * Expiry alerts: the module's daily cron rule records an expiry scan, whose rule runs the
 * `create_expiry_tasks` action: one `expiry_review` task per expiring lot, in the task list of the
 * role, and never twice for a lot while its task is open.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '@tenon/core';
import { appendEvents } from '@tenon/design';
import { EXPIRY_ROLE } from '../index.ts';
import { type Fixture, inventoryFixture } from './harness.ts';

describe('expiry alerts', () => {
  let f: Fixture;
  let soon: string;
  let controller: string;
  before(async () => {
    f = await inventoryFixture({
      server: { clock: fixedClock('2026-02-01T07:00:00.000Z'), startKernel: {} },
    });
    const item = await f.item({ tracking: 'lot' });
    soon = (await f.create('lot', { item, expires_on: '2026-02-10' })).id as string;
    const later = (await f.create('lot', { item, expires_on: '2026-09-01' })).id as string;
    const empty = (await f.create('lot', { item, expires_on: '2026-02-05' })).id as string;
    for (const [i, lot] of [soon, later].entries())
      await f.post(`r${i}`, 'receipt', '2026-01-15', {
        item,
        toLocation: f.bins[0]!,
        lot,
        quantity: '5',
        unitCost: '1',
      });
    assert.ok(empty);
    const r = await f.s.call('PUT', `/api/v1/security/roles/${EXPIRY_ROLE}`, {
      label: { 'zh-CN': '库存控制员', en: 'Inventory controller' },
      permissions: [
        { entity: '$process', actions: ['read', 'update'] },
        { entity: 'lot', actions: ['read'] },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    controller = await f.s.userWith({ username: 'controller', roles: [EXPIRY_ROLE] });
  });
  after(() => f.s.close());

  const fireCron = () =>
    f.s.db.transaction((tx) =>
      appendEvents(
        tx,
        f.schema,
        [{ topic: 'cron', entity: null, recordId: null, payload: { schedule: 'inventory_expiry_daily' } }],
        { actor: { userId: null, username: 'system' } },
      ),
    );
  const scans = async () =>
    (await f.s.call('GET', '/api/v1/expiry_scan')).body.data.items as {
      tasks_created: number;
      version: number;
    }[];
  const waitFor = async (what: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i++) {
      if (await what()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail('timed out');
  };
  const available = async () =>
    (await f.s.callAs(controller, 'GET', '/api/v1/tasks?list=available')).body.data.items as {
      service: string;
      recordId: string;
    }[];

  it('the daily rule opens a review task per expiring lot with stock, for the controller role', async () => {
    await fireCron();
    await waitFor(async () => (await scans()).length === 1 && (await available()).length > 0);
    const tasks = await available();
    assert.deepEqual(
      tasks.map((t) => [t.service, t.recordId]),
      [['expiry_review', soon]],
    );
    assert.equal((await scans())[0]!.tasks_created, 1);
  });

  it('a second scan does not open a second task for the same lot', async () => {
    await fireCron();
    await waitFor(async () => (await scans()).length === 2);
    // The action has run on a scan once it was updated (version 2).
    await waitFor(async () => (await scans()).every((x) => x.version === 2));
    assert.deepEqual((await scans()).map((x) => x.tasks_created).sort(), [0, 1]);
    assert.equal((await available()).length, 1);
  });
});
