/**
 * GET /api/v1/navigation: the entities the signed-in user may read (hidden fields left out), what
 * they may do with each, and which console areas are theirs (designer, task screens).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ 'zh-CN': en, en });

describe('navigation', () => {
  let s: TestServer;
  let clerk: string;
  before(async () => {
    s = await createTestServer();
    await s.define([
      {
        name: 'customer',
        label: label('Customer'),
        fields: [
          { name: 'name', label: label('Name'), kind: 'string', required: true },
          { name: 'credit_limit', label: label('Credit limit'), kind: 'money' },
        ],
      },
      {
        name: 'payroll',
        label: label('Payroll'),
        fields: [{ name: 'amount', label: label('Amount'), kind: 'money' }],
      },
    ]);
    const role = await s.call('PUT', '/api/v1/security/roles/clerk', {
      label: label('Clerk'),
      permissions: [{ entity: 'customer', actions: ['read', 'create'], hiddenFields: ['credit_limit'] }],
    });
    assert.equal(role.status, 200, JSON.stringify(role.body));
    clerk = await s.userWith({ username: 'nav_clerk', roles: ['clerk'] });
  });
  after(() => s.close());

  it('gives an administrator every entity, the designer and the task screens', async () => {
    const res = await s.call('GET', '/api/v1/navigation');
    assert.equal(res.status, 200);
    const nav = res.body.data;
    assert.equal(nav.canDesign, true);
    assert.equal(nav.canWork, true);
    const names = nav.entities.map((e: JsonBody) => e.name);
    for (const n of ['customer', 'payroll', 'resource']) assert.ok(names.includes(n), n);
    // Installed modules with their labels; a module's entities name it as their source (menu groups).
    assert.deepEqual(nav.modules, [{ name: 'kernel', label: { 'zh-CN': '资源管理', en: 'Resources' } }]);
    const source = (n: string) => nav.entities.find((e: JsonBody) => e.name === n).source;
    assert.equal(source('resource'), 'module:kernel');
    assert.ok(!String(source('customer')).startsWith('module:'));
  });

  it('gives a clerk only what the role reads, without hidden fields, and no designer or task screens', async () => {
    const res = await s.callAs(clerk, 'GET', '/api/v1/navigation');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const nav = res.body.data;
    assert.deepEqual(
      nav.entities.map((e: JsonBody) => e.name),
      ['customer'],
    );
    const customer = nav.entities[0];
    assert.deepEqual(
      customer.fields.map((f: JsonBody) => f.name),
      ['name'],
    );
    assert.equal(customer.can.create, true);
    assert.equal(customer.can.delete, false);
    assert.equal(nav.canDesign, false);
    assert.equal(nav.canWork, false);
  });

  it('refuses an anonymous request', async () => {
    assert.equal((await s.callAs(null, 'GET', '/api/v1/navigation')).status, 401);
  });
});
