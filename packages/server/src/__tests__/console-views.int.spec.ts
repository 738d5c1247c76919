/**
 * Saved list views and preferences per user (`/api/v1/me/views`, `/api/v1/me/preferences`): a view's
 * filter must parse like the list's, unknown or hidden fields are named in a 400; private views are
 * 404 to everyone else; shared ones are changed only by their owner or an administrator; each user has
 * their own default. The dashboard and the current company are checked before they are stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });
const DEFINITIONS = [
  {
    name: 'company',
    label: label('Company'),
    fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
  },
  {
    name: 'deal',
    label: label('Deal'),
    fields: [
      { name: 'title', label: label('Title'), kind: 'string' },
      { name: 'amount', label: label('Amount'), kind: 'decimal', precision: 12, scale: 2 },
      { name: 'secret', label: label('Secret'), kind: 'string' },
      { name: 'company', label: label('Company'), kind: 'link', target: 'company' },
    ],
  },
];

const state = (over: Partial<JsonBody> = {}) => ({
  filter: { and: [{ field: 'amount', op: 'gte', value: '100' }] },
  sort: ['-amount'],
  columns: ['title', 'amount'],
  pageSize: 50,
  ...over,
});

describe('saved views and preferences per user', () => {
  let s: TestServer;
  let alice: string;
  let bob: string;

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    await s.call('PUT', '/api/v1/security/roles/sales', {
      label: label('Sales'),
      permissions: [
        { entity: 'deal', actions: ['read', 'create', 'update'], hiddenFields: ['secret'] },
        { entity: 'company', actions: ['read'] },
      ],
    });
    alice = await s.userWith({ username: 'alice', roles: ['sales'] });
    bob = await s.userWith({ username: 'bob', roles: ['sales'] });
  });
  after(() => s.close());

  const views = async (token: string) =>
    (await s.callAs(token, 'GET', '/api/v1/me/views?entity=deal')).body.data.items as JsonBody[];
  const viewCount = async () =>
    (await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${s.tenant.schemaName}"."_user_view"`))
      .rows[0]!.n;

  it('saves, lists, renames and applies a default view; the default is per user', async () => {
    const created = await s.callAs(alice, 'POST', '/api/v1/me/views', {
      entity: 'deal',
      name: 'Big deals',
      state: state(),
      isDefault: true,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.data.isDefault, true);
    assert.equal(created.body.data.mine, true);
    assert.deepEqual(created.body.data.state, state());
    const id = created.body.data.id as string;
    const renamed = await s.callAs(alice, 'PATCH', `/api/v1/me/views/${id}`, { name: 'Large deals' });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.data.name, 'Large deals');
    assert.equal(renamed.body.data.version, 2);
    const mine = await views(alice);
    assert.deepEqual(
      mine.map((v) => [v.name, v.isDefault]),
      [['Large deals', true]],
    );
    // Bob sees nothing of Alice's private view, not even by id.
    assert.deepEqual(await views(bob), []);
    for (const [method, body] of [
      ['PATCH', { name: 'mine now' }],
      ['PATCH', { isDefault: true }],
      ['DELETE', undefined],
    ] as const) {
      const res = await s.callAs(bob, method, `/api/v1/me/views/${id}`, body);
      assert.equal(res.status, 404, `${method} ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'CONSOLE_VIEW_NOT_FOUND');
    }
    const name = await s.callAs(alice, 'POST', '/api/v1/me/views', {
      entity: 'deal',
      name: 'Large deals',
      state: state(),
    });
    assert.equal(name.status, 409);
  });

  it('refuses filters the list would refuse, and names every unknown or hidden field', async () => {
    const before = await viewCount();
    const unknown = await s.callAs(alice, 'POST', '/api/v1/me/views', {
      entity: 'deal',
      name: 'Bad',
      state: state({
        filter: {
          or: [
            { field: 'nope', op: 'eq', value: 'x' },
            { field: 'secret', op: 'eq', value: 'x' },
          ],
        },
        columns: ['title', 'ghost'],
      }),
    });
    assert.equal(unknown.status, 400, JSON.stringify(unknown.body));
    assert.equal(unknown.body.error.code, 'CONSOLE_VIEW_INVALID');
    assert.match(unknown.body.message, /nope, secret, ghost/);
    assert.deepEqual(
      unknown.body.error.details.map((d: JsonBody) => d.field),
      ['state.filter', 'state.filter', 'state.columns'],
    );
    const badValue = await s.callAs(alice, 'POST', '/api/v1/me/views', {
      entity: 'deal',
      name: 'Bad value',
      state: state({ filter: { field: 'amount', op: 'gte', value: 'lots' } }),
    });
    assert.equal(badValue.status, 400);
    assert.equal(badValue.body.error.code, 'QUERY_INVALID');
    const badOp = await s.callAs(alice, 'POST', '/api/v1/me/views', {
      entity: 'deal',
      name: 'Bad op',
      state: state({ filter: { field: 'title', op: 'like', value: 'a' } }),
    });
    assert.equal(badOp.status, 400);
    const shape = await s.callAs(alice, 'POST', '/api/v1/me/views', {
      entity: 'deal',
      name: 'Bad shape',
      state: { ...state(), pageSize: 0, extra: true },
    });
    assert.equal(shape.status, 422);
    const noEntity = await s.callAs(alice, 'POST', '/api/v1/me/views', {
      entity: 'ghost',
      name: 'x',
      state: state(),
    });
    assert.equal(noEntity.status, 404);
    assert.equal(await viewCount(), before);
  });

  it('shares a view with the tenant: others see and may default it, only the owner or an admin edits it', async () => {
    const shared = await s.callAs(bob, 'POST', '/api/v1/me/views', {
      entity: 'deal',
      name: 'Team pipeline',
      shared: true,
      state: state({ filter: null, sort: [], columns: ['title'] }),
    });
    assert.equal(shared.status, 201);
    const id = shared.body.data.id as string;
    const seen = (await views(alice)).find((v) => v.id === id)!;
    assert.equal(seen.mine, false);
    assert.equal(seen.editable, false);
    const edit = await s.callAs(alice, 'PATCH', `/api/v1/me/views/${id}`, { name: 'Hijacked' });
    assert.equal(edit.status, 403);
    assert.equal((await s.callAs(alice, 'DELETE', `/api/v1/me/views/${id}`)).status, 403);
    const aliceDefault = await s.callAs(alice, 'PATCH', `/api/v1/me/views/${id}`, { isDefault: true });
    assert.equal(aliceDefault.status, 200, JSON.stringify(aliceDefault.body));
    const aliceViews = await views(alice);
    assert.deepEqual(
      aliceViews.filter((v) => v.isDefault).map((v) => v.name),
      ['Team pipeline'],
    );
    // Bob's own list: his view is not his default.
    assert.equal((await views(bob)).find((v) => v.id === id)!.isDefault, false);
    const byAdmin = await s.call('PATCH', `/api/v1/me/views/${id}`, { name: 'Pipeline (all)' });
    assert.equal(byAdmin.status, 200);
    const deleted = await s.callAs(bob, 'DELETE', `/api/v1/me/views/${id}`);
    assert.equal(deleted.status, 200);
    assert.equal(
      (await views(alice)).find((v) => v.id === id),
      undefined,
    );
  });

  it('stores a dashboard per user after checking each widget', async () => {
    const dashboard = {
      widgets: [
        { id: 'k1', type: 'kpi', entity: 'deal', measure: 'sum:amount' },
        {
          id: 'c1',
          type: 'chart',
          entity: 'deal',
          measure: 'count',
          groupBy: 'created_at:month',
          chart: 'line',
        },
      ],
    };
    const saved = await s.callAs(alice, 'PUT', '/api/v1/me/preferences/dashboard', { value: dashboard });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual((await s.callAs(alice, 'GET', '/api/v1/me/preferences')).body.data.dashboard, dashboard);
    assert.equal((await s.callAs(bob, 'GET', '/api/v1/me/preferences')).body.data.dashboard, undefined);
    for (const widget of [
      { id: 'x', type: 'kpi', entity: 'deal', measure: 'sum:secret' },
      { id: 'x', type: 'kpi', entity: 'deal', measure: 'sum:title' },
      { id: 'x', type: 'chart', entity: 'deal', measure: 'count' },
      { id: 'x', type: 'kpi', entity: 'ghost', measure: 'count' },
    ]) {
      const res = await s.callAs(alice, 'PUT', '/api/v1/me/preferences/dashboard', {
        value: { widgets: [widget] },
      });
      assert.equal(res.status, 400, JSON.stringify(widget));
      assert.equal(res.body.error.code, 'CONSOLE_PREFERENCE_INVALID');
    }
    assert.deepEqual((await s.callAs(alice, 'GET', '/api/v1/me/preferences')).body.data.dashboard, dashboard);
  });

  it('keeps the current company per user, only a company they may read', async () => {
    const acme = (await s.call('POST', '/api/v1/company', { name: 'Acme' })).body.data.id as string;
    const ok = await s.callAs(alice, 'PUT', '/api/v1/me/preferences/company', { value: { companyId: acme } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual((await s.callAs(alice, 'GET', '/api/v1/me/preferences')).body.data.company, {
      companyId: acme,
    });
    const ghost = await s.callAs(alice, 'PUT', '/api/v1/me/preferences/company', {
      value: { companyId: '01900000-0000-7000-8000-000000000000' },
    });
    assert.equal(ghost.status, 400);
    const unknownKey = await s.callAs(alice, 'PUT', '/api/v1/me/preferences/theme', { value: 'dark' });
    assert.equal(unknownKey.status, 404);
  });
});
