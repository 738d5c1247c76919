/**
 * Tenant isolation: two tenants on one database, with the same entity names. A tenant's token
 * reaches nothing of the other tenant on any endpoint, and under load on a pool of two
 * connections every response holds only the caller's own tenant's data.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '@tenon/db';
import { openTestDatabase } from '@tenon/db/testing';
import { updateRecordIn } from '@tenon/design';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });

const DEFINITIONS = [
  {
    name: 'customer',
    label: label('Customer'),
    fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
  },
  {
    name: 'order_line',
    label: label('Order line'),
    childOf: 'sales_order',
    fields: [{ name: 'item', label: label('Item'), kind: 'string' }],
  },
  {
    name: 'sales_order',
    label: label('Sales order'),
    actions: [{ name: 'confirm', label: label('Confirm') }],
    fields: [
      { name: 'customer', label: label('Customer'), kind: 'link', target: 'customer' },
      { name: 'note', label: label('Note'), kind: 'string' },
      { name: 'lines', label: label('Lines'), kind: 'children', target: 'order_line' },
    ],
  },
];

type Side = { s: TestServer; tag: string; customers: string[]; order: string; adminId: string };

describe('tenant isolation on one database', () => {
  let db: Database;
  const side: Record<'A' | 'B', Side> = {} as Record<'A' | 'B', Side>;

  before(async () => {
    db = await openTestDatabase({ poolSize: 2 });
    for (const tag of ['A', 'B'] as const) {
      const s = await createTestServer({ db });
      await s.define(DEFINITIONS);
      s.deps.actions.register('sales_order', 'confirm', async ({ tx, ctx, entity, record }) =>
        updateRecordIn(tx, ctx, entity, {
          id: record.id as string,
          patch: { note: 'confirmed' },
          expectedVersion: null,
        }),
      );
      const customers: string[] = [];
      for (let i = 0; i < 3; i++)
        customers.push((await s.call('POST', '/api/v1/customer', { name: `${tag}-${i}` })).body.data.id);
      const order = await s.call('POST', '/api/v1/sales_order', {
        customer: customers[0],
        note: `${tag}-order`,
        lines: [{ item: `${tag}-line` }],
      });
      assert.equal(order.status, 201, JSON.stringify(order.body));
      const me = await s.call('GET', '/api/v1/auth/me');
      side[tag] = { s, tag, customers, order: order.body.data.id, adminId: me.body.data.user.id };
    }
    await side.B.s.define([
      {
        name: 'b_only',
        label: label('B only'),
        fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
      },
    ]);
  });
  after(async () => {
    await side.A?.s.close();
    await side.B?.s.close();
    await db?.close();
  });

  it('the two tenants really share the database and the entity names (the control)', async () => {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'sales_order' AND table_schema IN ($1, $2)`,
      [side.A.s.tenant.schemaName, side.B.s.tenant.schemaName],
    );
    assert.equal(rows[0]!.n, 2);
    const b = await side.B.s.call('GET', `/api/v1/sales_order/${side.B.order}`);
    assert.equal(b.status, 200, "B's administrator reads B's order");
  });

  it("A's token gets nothing of B on any endpoint, and B is unchanged", async () => {
    const { s } = side.A;
    const B = side.B;
    const before = {
      order: (await B.s.call('GET', `/api/v1/sales_order/${B.order}`)).body.data,
      customer: (await B.s.call('GET', `/api/v1/customer/${B.customers[1]}`)).body.data,
    };
    const notFound: [string, 'GET' | 'PATCH' | 'DELETE' | 'POST', string, unknown?][] = [
      ['get', 'GET', `/api/v1/sales_order/${B.order}`],
      ['history', 'GET', `/api/v1/sales_order/${B.order}/history`],
      ['patch', 'PATCH', `/api/v1/sales_order/${B.order}`, { note: 'from A' }],
      ['action', 'POST', `/api/v1/sales_order/${B.order}/confirm`, {}],
      ['delete', 'DELETE', `/api/v1/customer/${B.customers[1]}`],
      ['entity of B only', 'GET', '/api/v1/b_only'],
      ['definition of B only', 'GET', '/api/v1/meta/entities/b_only'],
    ];
    for (const [name, method, url, body] of notFound) {
      const r = await s.call(method, url, body);
      assert.equal(r.status, 404, `${name}: ${JSON.stringify(r.body)}`);
    }
    const lists = [
      '/api/v1/sales_order?expand=customer,lines&pageSize=500',
      '/api/v1/customer?pageSize=500',
      `/api/v1/customer?filter[id][in]=${B.customers.join(',')}`,
      `/api/v1/sales_order?filter[customer.name][contains]=B-`,
      '/api/v1/security/users',
      '/api/v1/meta/entities',
      `/api/v1/audit/users/${B.adminId}`,
    ];
    for (const url of lists) {
      const r = await s.call('GET', url);
      assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`);
      const text = JSON.stringify(r.body.data);
      for (const leak of [B.order, ...B.customers, 'B-', B.s.tenant.name, 'b_only'])
        assert.equal(text.includes(leak), false, `${url} shows ${leak}`);
    }
    // A link to B's row cannot be made either.
    const link = await s.call('POST', '/api/v1/sales_order', { customer: B.customers[0] });
    assert.equal(link.status, 422, JSON.stringify(link.body));
    const explain = await s.call(
      'GET',
      `/api/v1/security/explain?user=${encodeURIComponent(`admin@${B.s.tenant.name}`)}&entity=customer&action=read`,
    );
    assert.equal(explain.status, 404);
    assert.deepEqual(
      {
        order: (await B.s.call('GET', `/api/v1/sales_order/${B.order}`)).body.data,
        customer: (await B.s.call('GET', `/api/v1/customer/${B.customers[1]}`)).body.data,
      },
      before,
    );
  });

  it('the tenant comes from the token: a tenant header or a sign-in to the other tenant changes nothing', async () => {
    const r = await side.A.s.call('GET', '/api/v1/customer?pageSize=500', undefined, {
      'x-tenant': side.B.s.tenant.name,
      'x-tenant-id': side.B.s.tenant.id,
    });
    assert.deepEqual(r.body.data.items.map((x: JsonBody) => x.name).sort(), ['A-0', 'A-1', 'A-2']);
    const login = await side.A.s.callAs(null, 'POST', '/api/v1/auth/login', {
      username: `admin@${side.A.s.tenant.name}`,
      password: 'admin-password-1',
      tenant: side.B.s.tenant.name,
    });
    assert.ok(login.status === 401 || login.status === 403, JSON.stringify(login.body));
    assert.equal(login.body.data, null);
  });

  it('the same Idempotency-Key in both tenants: each gets its own outcome', async () => {
    const key = { 'idempotency-key': 'shared-key-1' };
    const a = await side.A.s.call('POST', '/api/v1/customer', { name: 'A-idem' }, key);
    const b = await side.B.s.call('POST', '/api/v1/customer', { name: 'B-idem' }, key);
    assert.deepEqual([a.status, b.status], [201, 201], JSON.stringify(b.body));
    assert.equal(b.headers['idempotent-replayed'], undefined);
    assert.equal(b.body.data.name, 'B-idem');
    assert.notEqual(a.body.data.id, b.body.data.id);
  });

  it('1,000 requests alternating tenants on a pool of two connections: only their own data', async () => {
    const own = (tag: 'A' | 'B', r: { status: number; body: JsonBody }, what: string) => {
      assert.ok(r.status < 300, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
      const other = tag === 'A' ? side.B : side.A;
      const text = JSON.stringify(r.body.data);
      for (const leak of [other.order, ...other.customers, `"${other.tag}-`])
        assert.equal(text.includes(leak), false, `${what} as ${tag} shows ${leak}`);
    };
    const one = async (i: number) => {
      const tag = i % 2 === 0 ? 'A' : 'B';
      const me = side[tag];
      const other = side[tag === 'A' ? 'B' : 'A'];
      switch (Math.floor(i / 2) % 5) {
        case 0: {
          const r = await me.s.call('GET', '/api/v1/customer?pageSize=500&expand=');
          own(tag, r, 'list');
          for (const c of r.body.data.items) assert.ok(String(c.name).startsWith(`${tag}-`), c.name);
          return;
        }
        case 1: {
          const r = await me.s.call('GET', `/api/v1/sales_order/${me.order}?expand=customer`);
          own(tag, r, 'get');
          assert.equal(r.body.data.customer.name, `${tag}-0`);
          return;
        }
        case 2: {
          const r = await me.s.call('GET', `/api/v1/sales_order/${other.order}`);
          assert.equal(r.status, 404, `get of the other tenant's order as ${tag}`);
          return;
        }
        case 3: {
          const r = await me.s.call('POST', '/api/v1/customer', { name: `${tag}-load-${i}` });
          own(tag, r, 'create');
          return;
        }
        default: {
          const r = await me.s.call('GET', `/api/v1/sales_order/${me.order}/history`);
          own(tag, r, 'history');
        }
      }
    };
    for (let start = 0; start < 1000; start += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, k) => one(start + k)));
    }
    for (const tag of ['A', 'B'] as const) {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${side[tag].s.tenant.schemaName}".customer WHERE name LIKE $1`,
        [`${tag}-load-%`],
      );
      assert.equal(rows[0]!.n, 100, `${tag}'s creates landed in ${tag}`);
    }
  });
});
