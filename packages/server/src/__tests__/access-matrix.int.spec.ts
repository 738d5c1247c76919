/**
 * The access matrix, generated: every endpoint × every role, against an oracle written from the
 * documented rules (deny by default; roles add up; `*` covers entities, not `$` resources; the
 * built-in admin may do everything). Allowed calls answer 2xx and do what they say; denied ones
 * answer 403 ACCESS_DENIED (401 without a token) and write nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
    name: 'product',
    label: label('Product'),
    fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
  },
  {
    name: 'order_line',
    label: label('Order line'),
    childOf: 'sales_order',
    fields: [
      { name: 'product', label: label('Product'), kind: 'link', target: 'product', required: true },
      { name: 'quantity', label: label('Quantity'), kind: 'quantity', required: true },
    ],
  },
  {
    name: 'sales_order',
    label: label('Sales order'),
    actions: [{ name: 'confirm', label: label('Confirm') }],
    fields: [
      { name: 'customer', label: label('Customer'), kind: 'link', target: 'customer', required: true },
      { name: 'note', label: label('Note'), kind: 'string' },
      { name: 'status', label: label('Status'), kind: 'string', default: 'draft' },
      { name: 'lines', label: label('Lines'), kind: 'children', target: 'order_line' },
    ],
  },
];

const ENTITIES = ['customer', 'product', 'sales_order'] as const;
type EntityName = (typeof ENTITIES)[number];

/** The oracle: role -> resource -> actions. `admin` is the built-in role; `anonymous` has no token. */
const ROLES: Record<string, Record<string, string[]>> = {
  none: {},
  reader: { sales_order: ['read'], customer: ['read'] },
  creator: { sales_order: ['create'], product: ['create', 'read'] },
  updater: { sales_order: ['update'], customer: ['update'] },
  deleter: { sales_order: ['delete'], product: ['delete'] },
  actor: { sales_order: ['confirm'] },
  star_reader: { '*': ['read'] },
  platform_reader: { $meta: ['read'], $security: ['read'] },
};
const ALL_ROLES = [...Object.keys(ROLES), 'admin', 'anonymous'];

function may(role: string, resource: string, action: string): boolean {
  if (role === 'admin') return true;
  if (role === 'anonymous') return false;
  const grants = ROLES[role]!;
  const actions = [...(grants[resource] ?? []), ...(resource.startsWith('$') ? [] : (grants['*'] ?? []))];
  return actions.includes('*') || actions.includes(action);
}

type Res = { status: number; body: JsonBody; headers: Record<string, unknown> };

describe('access matrix: every endpoint × role', () => {
  let s: TestServer;
  let customer: string;
  let product: string;
  const tokens: Record<string, string | null> = { anonymous: null };
  let serial = 0;

  const count = async (table: string) =>
    (await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${s.tenant.schemaName}"."${table}"`))
      .rows[0]!.n;
  const bodyFor = (entity: EntityName): JsonBody => {
    serial += 1;
    return entity === 'sales_order'
      ? { customer, note: `n${serial}`, lines: [{ product, quantity: '2' }] }
      : { name: `${entity}-${serial}` };
  };
  const patchFor = (entity: EntityName): JsonBody =>
    entity === 'sales_order' ? { note: 'patched' } : { name: 'patched' };
  /** Rows of the entity (and order lines), and the record as the administrator sees it. */
  const snapshot = async (entity: EntityName, id: string) => ({
    rows: await count(entity),
    lines: await count('order_line'),
    record: (await s.call('GET', `/api/v1/${entity}/${id}`)).body.data,
  });

  const expectAllowed = (r: Res, status: number) =>
    assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  /** Who may write but not read gets the id and version only: a write is no way around a refused read. */
  const assertWriteAnswer = (role: string, entity: EntityName, r: Res) => {
    if (may(role, entity, 'read'))
      assert.ok(Object.keys(r.body.data).length > 2, JSON.stringify(r.body.data));
    else assert.deepEqual(Object.keys(r.body.data).sort(), ['id', 'version'], JSON.stringify(r.body.data));
  };
  const expectDenied = (role: string, r: Res) => {
    if (role === 'anonymous') {
      assert.equal(r.status, 401, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'AUTH_REQUIRED');
    } else {
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'ACCESS_DENIED');
    }
    assert.equal(r.body.data, null);
  };

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    s.deps.actions.register('sales_order', 'confirm', async ({ tx, ctx, entity, record }) =>
      updateRecordIn(tx, ctx, entity, {
        id: record.id as string,
        patch: { status: 'confirmed' },
        expectedVersion: null,
      }),
    );
    for (const [name, grants] of Object.entries(ROLES)) {
      if (name === 'none') continue;
      const permissions = Object.entries(grants).map(([entity, actions]) => ({ entity, actions }));
      const r = await s.call('PUT', `/api/v1/security/roles/${name}`, { label: label(name), permissions });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    for (const name of Object.keys(ROLES))
      tokens[name] = await s.userWith({ username: name, roles: name === 'none' ? [] : [name] });
    tokens.admin = s.adminToken;
    customer = (await s.call('POST', '/api/v1/customer', { name: 'ACME' })).body.data.id;
    product = (await s.call('POST', '/api/v1/product', { name: 'bolt' })).body.data.id;
  });
  after(() => s.close());

  it('the oracle matches the policy on a few known points (guards the generator itself)', () => {
    assert.equal(may('star_reader', 'product', 'read'), true);
    assert.equal(may('star_reader', '$meta', 'read'), false);
    assert.equal(may('creator', 'sales_order', 'read'), false);
    assert.equal(may('actor', 'sales_order', 'confirm'), true);
    assert.equal(may('admin', '$security', 'update'), true);
  });

  it('an empty PATCH reads nothing for a role that may update but not read', async () => {
    const id = (await s.call('POST', '/api/v1/sales_order', bodyFor('sales_order'))).body.data.id;
    const r = (await s.callAs(tokens.updater!, 'PATCH', `/api/v1/sales_order/${id}`, {})) as Res;
    expectAllowed(r, 200);
    assert.deepEqual(r.body.data, { id, version: 1 });
    expectDenied('updater', (await s.callAs(tokens.updater!, 'GET', `/api/v1/sales_order/${id}`)) as Res);
  });

  it("replaying another user's Idempotency-Key does not skip the access check", async () => {
    const key = { 'idempotency-key': 'matrix-replay-1' };
    const body = { name: 'idempotent' };
    const first = await s.callAs(tokens.creator!, 'POST', '/api/v1/product', body, key);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const again = await s.callAs(tokens.creator!, 'POST', '/api/v1/product', body, key);
    assert.equal(again.headers['idempotent-replayed'], 'true', 'the same user gets the first response');
    const rows = await count('product');
    for (const role of ['none', 'reader', 'updater']) {
      const r = (await s.callAs(tokens[role]!, 'POST', '/api/v1/product', body, key)) as Res;
      expectDenied(role, r);
      assert.equal(JSON.stringify(r.body).includes(first.body.data.id), false, `${role} got the record`);
    }
    const order = (await s.call('POST', '/api/v1/sales_order', bodyFor('sales_order'))).body.data.id;
    const confirmed = await s.callAs(tokens.actor!, 'POST', `/api/v1/sales_order/${order}/confirm`, {}, key);
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    expectDenied(
      'reader',
      (await s.callAs(tokens.reader!, 'POST', `/api/v1/sales_order/${order}/confirm`, {}, key)) as Res,
    );
    assert.equal(await count('product'), rows);
  });

  for (const role of ALL_ROLES) {
    describe(`role ${role}`, () => {
      for (const entity of ENTITIES) {
        describe(entity, () => {
          let id: string;
          const as = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
            s.callAs(tokens[role]!, method, url, body) as Promise<Res>;
          before(async () => {
            const r = await s.call('POST', `/api/v1/${entity}`, bodyFor(entity));
            assert.equal(r.status, 201, JSON.stringify(r.body));
            id = r.body.data.id;
          });

          it(`list ${may(role, entity, 'read') ? 'allowed' : 'denied'}`, async () => {
            const r = await as('GET', `/api/v1/${entity}?pageSize=500`);
            if (!may(role, entity, 'read')) return expectDenied(role, r);
            expectAllowed(r, 200);
            assert.ok(r.body.data.items.some((x: JsonBody) => x.id === id));
          });

          it(`get ${may(role, entity, 'read') ? 'allowed' : 'denied'}`, async () => {
            const r = await as('GET', `/api/v1/${entity}/${id}`);
            if (!may(role, entity, 'read')) return expectDenied(role, r);
            expectAllowed(r, 200);
            assert.equal(r.body.data.id, id);
          });

          it(`history ${may(role, entity, 'read') ? 'allowed' : 'denied'}`, async () => {
            const r = await as('GET', `/api/v1/${entity}/${id}/history`);
            if (!may(role, entity, 'read')) return expectDenied(role, r);
            expectAllowed(r, 200);
            assert.equal(r.body.data.items[0].action, 'create');
          });

          it(`create ${may(role, entity, 'create') ? 'allowed' : 'denied'}`, async () => {
            const rows = await count(entity);
            const lines = await count('order_line');
            const r = await as('POST', `/api/v1/${entity}`, bodyFor(entity));
            if (!may(role, entity, 'create')) {
              expectDenied(role, r);
              assert.deepEqual([await count(entity), await count('order_line')], [rows, lines]);
              return;
            }
            expectAllowed(r, 201);
            assertWriteAnswer(role, entity, r);
            assert.equal(await count(entity), rows + 1);
          });

          it(`patch ${may(role, entity, 'update') ? 'allowed' : 'denied'}`, async () => {
            const was = await snapshot(entity, id);
            const r = await as('PATCH', `/api/v1/${entity}/${id}`, patchFor(entity));
            if (!may(role, entity, 'update')) {
              expectDenied(role, r);
              assert.deepEqual(await snapshot(entity, id), was);
              return;
            }
            expectAllowed(r, 200);
            assertWriteAnswer(role, entity, r);
            const now = await snapshot(entity, id);
            assert.equal(now.record.version, was.record.version + 1);
            assert.deepEqual(
              Object.entries(patchFor(entity)).map(([k]) => now.record[k]),
              ['patched'],
            );
          });

          if (entity === 'sales_order') {
            it(`action confirm ${may(role, entity, 'confirm') ? 'allowed' : 'denied'}`, async () => {
              const was = await snapshot(entity, id);
              assert.equal(was.record.status, 'draft');
              const r = await as('POST', `/api/v1/${entity}/${id}/confirm`, {});
              if (!may(role, entity, 'confirm')) {
                expectDenied(role, r);
                assert.deepEqual(await snapshot(entity, id), was);
                return;
              }
              expectAllowed(r, 200);
              assertWriteAnswer(role, entity, r);
              assert.equal((await snapshot(entity, id)).record.status, 'confirmed');
            });
          }

          it(`delete ${may(role, entity, 'delete') ? 'allowed' : 'denied'}`, async () => {
            const was = await snapshot(entity, id);
            const r = await as('DELETE', `/api/v1/${entity}/${id}`);
            if (!may(role, entity, 'delete')) {
              expectDenied(role, r);
              assert.deepEqual(await snapshot(entity, id), was);
              return;
            }
            expectAllowed(r, 200);
            assert.equal((await s.call('GET', `/api/v1/${entity}/${id}`)).status, 404);
            assert.equal(await count(entity), was.rows - 1);
          });
        });
      }

      describe('platform', () => {
        const as = (method: 'GET' | 'POST', url: string, body?: unknown) =>
          s.callAs(tokens[role]!, method, url, body) as Promise<Res>;

        it(`meta GET ${may(role, '$meta', 'read') ? 'allowed' : 'denied'}`, async () => {
          for (const url of ['/api/v1/meta/entities', '/api/v1/meta/entities/sales_order']) {
            const r = await as('GET', url);
            if (!may(role, '$meta', 'read')) expectDenied(role, r);
            else expectAllowed(r, 200);
          }
        });

        it(`meta POST ${may(role, '$meta', 'update') ? 'allowed' : 'denied'}`, async () => {
          const name = `extra_${role}`;
          const r = await as('POST', '/api/v1/meta/entities', {
            name,
            label: label(name),
            fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
          });
          const stored = await s.call('GET', `/api/v1/meta/entities/${name}`);
          if (!may(role, '$meta', 'update')) {
            expectDenied(role, r);
            assert.equal(stored.status, 404, 'nothing was defined');
            return;
          }
          expectAllowed(r, 201);
          assert.equal(stored.status, 200);
        });

        it(`security GET ${may(role, '$security', 'read') ? 'allowed' : 'denied'}`, async () => {
          for (const url of ['/api/v1/security/roles', '/api/v1/security/users']) {
            const r = await as('GET', url);
            if (!may(role, '$security', 'read')) expectDenied(role, r);
            else expectAllowed(r, 200);
          }
        });

        it(`security PUT role ${may(role, '$security', 'update') ? 'allowed' : 'denied'}`, async () => {
          const name = `made_by_${role}`;
          const r = (await s.callAs(tokens[role]!, 'PUT', `/api/v1/security/roles/${name}`, {
            label: label(name),
            permissions: [{ entity: '*', actions: ['*'] }],
          })) as Res;
          const roles = (await s.call('GET', '/api/v1/security/roles')).body.data.items as JsonBody[];
          if (!may(role, '$security', 'update')) {
            expectDenied(role, r);
            assert.equal(
              roles.some((x) => x.name === name),
              false,
            );
            return;
          }
          expectAllowed(r, 200);
          assert.ok(roles.some((x) => x.name === name));
        });
      });
    });
  }
});
