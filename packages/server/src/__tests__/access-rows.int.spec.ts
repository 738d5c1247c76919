/**
 * Row-level access, the supplier portal: a role whose rows are those of the user's own supplier
 * (`where supplier = $user.supplier`). Another supplier's rows do not exist for them (404 on every
 * endpoint, the same answer as an id nobody has), writes that would leave their rows are 403 and
 * change nothing, and the explain endpoint says why.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { updateRecordIn } from '@tenon/design';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });

const DEFINITIONS = [
  {
    name: 'supplier',
    label: label('Supplier'),
    fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
  },
  {
    name: 'asn',
    label: label('Advance shipping notice'),
    actions: [{ name: 'ship', label: label('Ship') }],
    fields: [
      { name: 'number', label: label('Number'), kind: 'string' },
      { name: 'supplier', label: label('Supplier'), kind: 'link', target: 'supplier', required: true },
      { name: 'forwarder', label: label('Forwarder'), kind: 'link', target: 'supplier' },
      { name: 'status', label: label('Status'), kind: 'string', default: 'open' },
    ],
  },
];

const BY_SUPPLIER = { field: 'supplier', op: 'eq', value: '$user.supplier' };

describe('row-level access: the supplier portal', () => {
  let s: TestServer;
  const supplier: Record<'A' | 'B', string> = { A: '', B: '' };
  const asn: Record<string, string> = {};
  let alice: string;
  let bob: string;
  let nobody: string;
  let auditor: string;

  const count = async () =>
    (await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${s.tenant.schemaName}"."asn"`))
      .rows[0]!.n;
  const adminView = async (id: string) => (await s.call('GET', `/api/v1/asn/${id}`)).body.data;
  const ids = (body: JsonBody) => (body.data.items as JsonBody[]).map((x) => x.number).sort();

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    s.deps.actions.register('asn', 'ship', async ({ tx, ctx, entity, record }) =>
      updateRecordIn(tx, ctx, entity, {
        id: record.id as string,
        patch: { status: 'shipped' },
        expectedVersion: null,
      }),
    );
    const role = await s.call('PUT', '/api/v1/security/roles/supplier_portal', {
      label: label('Supplier portal'),
      permissions: [
        { entity: 'asn', actions: ['read', 'create', 'update', 'delete', 'ship'], where: BY_SUPPLIER },
        { entity: 'supplier', actions: ['read'], where: { field: 'id', op: 'eq', value: '$user.supplier' } },
      ],
    });
    assert.equal(role.status, 200, JSON.stringify(role.body));
    await s.call('PUT', '/api/v1/security/roles/asn_auditor', {
      label: label('ASN auditor'),
      permissions: [{ entity: 'asn', actions: ['read'] }],
    });
    for (const k of ['A', 'B'] as const)
      supplier[k] = (await s.call('POST', '/api/v1/supplier', { name: `Supplier ${k}` })).body.data.id;
    for (const [number, k, forwarder] of [
      ['A1', 'A', 'B'],
      ['A2', 'A', null],
      ['B1', 'B', null],
    ] as const) {
      const r = await s.call('POST', '/api/v1/asn', {
        number,
        supplier: supplier[k],
        forwarder: forwarder ? supplier[forwarder] : null,
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      asn[number] = r.body.data.id;
    }
    alice = await s.userWith({
      username: 'alice',
      roles: ['supplier_portal'],
      attributes: { supplier: supplier.A },
    });
    bob = await s.userWith({
      username: 'bob',
      roles: ['supplier_portal'],
      attributes: { supplier: supplier.B },
    });
    nobody = await s.userWith({ username: 'nobody', roles: ['supplier_portal'] });
    auditor = await s.userWith({
      username: 'auditor',
      roles: ['supplier_portal', 'asn_auditor'],
      attributes: { supplier: supplier.B },
    });
  });
  after(() => s.close());

  it('each supplier lists only their own rows, whatever the filter says', async () => {
    const a = await s.callAs(alice, 'GET', '/api/v1/asn?total=true');
    assert.deepEqual([ids(a.body), a.body.data.total], [['A1', 'A2'], 2]);
    const b = await s.callAs(bob, 'GET', '/api/v1/asn?total=true');
    assert.deepEqual([ids(b.body), b.body.data.total], [['B1'], 1]);
    const orFilter = encodeURIComponent(
      JSON.stringify({
        or: [
          { field: 'supplier', op: 'eq', value: supplier.B },
          { field: 'id', op: 'null', value: false },
        ],
      }),
    );
    for (const url of [
      `/api/v1/asn?filter[supplier][eq]=${supplier.B}`,
      `/api/v1/asn?filter=${orFilter}`,
      '/api/v1/asn?filter[supplier.name][eq]=Supplier%20B',
      `/api/v1/asn?filter[id][in]=${asn.A1},${asn.B1}`,
    ]) {
      const r = await s.callAs(alice, 'GET', `${url}&pageSize=500`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(ids(r.body).includes('B1'), false, url);
    }
    // A1's forwarder is supplier B: a link path must not probe B's fields through alice's own row.
    for (const probe of ['filter[forwarder.name][eq]=Supplier%20B', 'filter[forwarder.name][contains]=B']) {
      const r = await s.callAs(alice, 'GET', `/api/v1/asn?${probe}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(ids(r.body), [], probe);
    }
    const control = await s.call('GET', '/api/v1/asn?filter[forwarder.name][eq]=Supplier%20B');
    assert.deepEqual(ids(control.body), ['A1'], 'the same probe finds A1 for an unrestricted role');
    const suppliers = await s.callAs(alice, 'GET', '/api/v1/supplier');
    assert.deepEqual(
      suppliers.body.data.items.map((x: JsonBody) => x.name),
      ['Supplier A'],
    );
  });

  it("another supplier's record answers 404 on every endpoint, like an id nobody has, and nothing changes", async () => {
    const before = { rows: await count(), record: await adminView(asn.B1!) };
    const calls: [string, 'GET' | 'PATCH' | 'DELETE' | 'POST', (id: string) => string, unknown][] = [
      ['get', 'GET', (id) => `/api/v1/asn/${id}`, undefined],
      ['history', 'GET', (id) => `/api/v1/asn/${id}/history`, undefined],
      ['patch', 'PATCH', (id) => `/api/v1/asn/${id}`, { number: 'stolen' }],
      ['action', 'POST', (id) => `/api/v1/asn/${id}/ship`, {}],
      ['delete', 'DELETE', (id) => `/api/v1/asn/${id}`, undefined],
    ];
    const nobodys = randomUUID();
    for (const [name, method, url, body] of calls) {
      const r = await s.callAs(alice, method, url(asn.B1!), body);
      assert.equal(r.status, 404, `${name}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'RECORD_NOT_FOUND', name);
      const guess = await s.callAs(alice, method, url(nobodys), body);
      assert.deepEqual(
        [guess.status, guess.body.error.code, guess.body.message.replace(nobodys, asn.B1)],
        [r.status, r.body.error.code, r.body.message],
        `${name} tells an existing record from a missing one`,
      );
    }
    assert.deepEqual({ rows: await count(), record: await adminView(asn.B1!) }, before);
  });

  it('creating a record for another supplier is 403 ACCESS_ROW_DENIED and writes nothing', async () => {
    const rows = await count();
    const r = await s.callAs(alice, 'POST', '/api/v1/asn', { number: 'X', supplier: supplier.B });
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'ACCESS_ROW_DENIED');
    assert.equal(await count(), rows);
    const own = await s.callAs(alice, 'POST', '/api/v1/asn', { number: 'A3', supplier: supplier.A });
    assert.equal(own.status, 201, JSON.stringify(own.body));
    assert.equal(await count(), rows + 1);
    asn.A3 = own.body.data.id;
  });

  it("moving one's own record to another supplier is 403 and leaves it unchanged", async () => {
    const before = await adminView(asn.A2!);
    const r = await s.callAs(alice, 'PATCH', `/api/v1/asn/${asn.A2}`, {
      supplier: supplier.B,
      number: 'moved',
    });
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'ACCESS_ROW_DENIED');
    assert.deepEqual(await adminView(asn.A2!), before);
    const ok = await s.callAs(alice, 'PATCH', `/api/v1/asn/${asn.A2}`, { number: 'A2' });
    assert.equal(ok.status, 200, 'an own record stays writable');
  });

  it('own records: read, change, run the action and delete', async () => {
    const got = await s.callAs(alice, 'GET', `/api/v1/asn/${asn.A1}`);
    assert.equal(got.status, 200);
    const shipped = await s.callAs(alice, 'POST', `/api/v1/asn/${asn.A1}/ship`, {});
    assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
    assert.equal((await adminView(asn.A1!)).status, 'shipped');
    const history = await s.callAs(alice, 'GET', `/api/v1/asn/${asn.A1}/history`);
    assert.deepEqual(
      history.body.data.items.map((e: JsonBody) => e.action),
      ['action:ship', 'create'],
    );
    const deleted = await s.callAs(alice, 'DELETE', `/api/v1/asn/${asn.A3}`);
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.equal((await s.call('GET', `/api/v1/asn/${asn.A3}`)).status, 404);
  });

  it('a link to a row outside the target row condition stays an id when expanded', async () => {
    const one = await s.callAs(alice, 'GET', `/api/v1/asn/${asn.A1}?expand=supplier,forwarder`);
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(one.body.data.supplier.name, 'Supplier A');
    assert.equal(one.body.data.forwarder, supplier.B);
    const list = await s.callAs(alice, 'GET', `/api/v1/asn?expand=forwarder&filter[number][eq]=A1`);
    assert.equal(list.body.data.items[0].forwarder, supplier.B);
    const admin = await s.call('GET', `/api/v1/asn/${asn.A1}?expand=forwarder`);
    assert.equal(
      admin.body.data.forwarder.name,
      'Supplier B',
      'the control: an unrestricted role expands it',
    );
  });

  it('a user without the supplier attribute sees and writes nothing', async () => {
    const list = await s.callAs(nobody, 'GET', '/api/v1/asn?total=true');
    assert.equal(list.status, 200);
    assert.deepEqual([list.body.data.items, list.body.data.total], [[], 0]);
    assert.equal((await s.callAs(nobody, 'GET', `/api/v1/asn/${asn.A1}`)).status, 404);
    const rows = await count();
    const r = await s.callAs(nobody, 'POST', '/api/v1/asn', { number: 'N', supplier: supplier.A });
    assert.equal(r.body.error?.code, 'ACCESS_ROW_DENIED');
    assert.equal(await count(), rows);
  });

  it('roles add up: a role without a row condition opens every row', async () => {
    const r = await s.callAs(auditor, 'GET', '/api/v1/asn');
    assert.deepEqual(ids(r.body), ['A1', 'A2', 'B1']);
    // ...for reading only: the writes still carry the portal's condition.
    const patch = await s.callAs(auditor, 'PATCH', `/api/v1/asn/${asn.A2}`, { number: 'taken' });
    assert.equal(patch.status, 404);
  });

  it('changing the user attribute moves the rows with it', async () => {
    const me = await s.callAs(bob, 'GET', '/api/v1/auth/me');
    const id = me.body.data.user?.id ?? me.body.data.id;
    const r = await s.call('PATCH', `/api/v1/security/users/${id}`, { attributes: { supplier: supplier.A } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const list = await s.callAs(bob, 'GET', '/api/v1/asn');
    assert.deepEqual(ids(list.body), ['A1', 'A2']);
  });

  describe('explain', () => {
    const explain = (query: Record<string, string>, token = s.adminToken) =>
      s.callAs(token, 'GET', `/api/v1/security/explain?${new URLSearchParams(query)}`);
    const user = (name: string) => `${name}@${s.tenant.name}`;

    it('allowed, with the granting role and the row condition bound to the user', async () => {
      const r = await explain({ user: user('alice'), entity: 'asn', action: 'update', record: asn.A1! });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.data.allowed, true);
      assert.equal(r.body.data.recordMatchesRowCondition, true);
      assert.deepEqual(r.body.data.rowFilter, { ...BY_SUPPLIER, value: supplier.A });
      assert.match(r.body.data.reasons.join('\n'), /role supplier_portal grants .*update.* on asn where/);
    });

    it('denied for a record outside the row condition, saying so', async () => {
      const r = await explain({ user: user('alice'), entity: 'asn', action: 'delete', record: asn.B1! });
      assert.equal(r.body.data.allowed, false);
      assert.equal(r.body.data.recordMatchesRowCondition, false);
      assert.match(r.body.data.reasons.join('\n'), /does not match the row condition/);
      const noRecord = await explain({ user: user('alice'), entity: 'asn', action: 'delete' });
      assert.deepEqual(
        [noRecord.body.data.allowed, noRecord.body.data.recordMatchesRowCondition],
        [true, null],
      );
    });

    it('denied without a granting role, naming the user and roles', async () => {
      const r = await explain({ user: user('alice'), entity: 'supplier', action: 'delete' });
      assert.equal(r.body.data.allowed, false);
      assert.match(
        r.body.data.reasons[0],
        /no role of alice@\S+ \(supplier_portal\) grants delete on supplier/,
      );
      const meta = await explain({ user: user('alice'), entity: '$meta', action: 'read' });
      assert.equal(meta.body.data.allowed, false);
    });

    it('a user without the attribute: allowed by role, but no row matches', async () => {
      const r = await explain({ user: user('nobody'), entity: 'asn', action: 'read', record: asn.A1! });
      assert.equal(r.body.data.allowed, false);
      assert.equal(r.body.data.recordMatchesRowCondition, false);
    });

    it('refuses bad questions and those not allowed to ask', async () => {
      assert.equal((await explain({ user: user('alice'), entity: 'asn' })).status, 400);
      const unknown = await explain({ user: 'ghost', entity: 'asn', action: 'read' });
      assert.deepEqual([unknown.status, unknown.body.error.code], [404, 'USER_NOT_FOUND']);
      const asAlice = await explain({ user: user('bob'), entity: 'asn', action: 'read' }, alice);
      assert.deepEqual([asAlice.status, asAlice.body.error.code], [403, 'ACCESS_DENIED']);
    });
  });

  it('refuses a role whose row condition does not fit the entity, naming the permission', async () => {
    const bad = async (where: unknown) => {
      const r = await s.call('PUT', '/api/v1/security/roles/broken', {
        label: label('Broken'),
        permissions: [
          { entity: 'asn', actions: ['read'] },
          { entity: 'asn', actions: ['update'], where },
        ],
      });
      assert.equal(r.status, 422, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'ROLE_INVALID');
      assert.equal(r.body.error.details[0].field, 'permissions.1.where');
      return r.body.error.details[0].message as string;
    };
    assert.match(await bad({ field: 'no_such_field', op: 'eq', value: '$user.supplier' }), /no_such_field/);
    assert.match(await bad({ field: 'supplier', op: 'like', value: 'x' }), /like|operator/i);
    assert.match(await bad({ field: 'supplier', op: 'eq', value: 'not-a-uuid' }), /supplier/);
    assert.equal((await s.call('GET', '/api/v1/security/roles/broken')).status, 404);
    // Placeholders stand for any user's value: valid whatever the field's kind.
    const ok = await s.call('PUT', '/api/v1/security/roles/broken', {
      label: label('Fine'),
      permissions: [
        {
          entity: 'asn',
          actions: ['read'],
          where: { or: [BY_SUPPLIER, { field: 'supplier', op: 'in', value: '$user.suppliers' }] },
        },
      ],
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });
});
