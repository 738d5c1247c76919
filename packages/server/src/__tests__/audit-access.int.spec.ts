/**
 * Who may read the audit trail: a record's history (newest first) for whoever may read the record,
 * 404 for a row outside their condition; a user's activity for oneself, and for others only with
 * `$audit` read; fields the reader's roles hide stay out of both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { updateRecordIn } from '@tenon/design';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });
const text = (name: string) => ({ name, label: label(name), kind: 'string' });

const DEFINITIONS = [
  {
    name: 'ticket',
    label: label('Ticket'),
    actions: [{ name: 'close', label: label('Close') }],
    fields: [text('title'), text('team'), text('cost_center'), { ...text('state'), default: 'open' }],
  },
];

const OWN_TEAM = { field: 'team', op: 'eq', value: '$user.team' };

describe('reading the audit trail', () => {
  let s: TestServer;
  const token: Record<string, string> = {};
  const userId: Record<string, string> = {};
  let ticket: string;
  let otherTeams: string;

  const history = (who: string, id: string) => s.callAs(token[who]!, 'GET', `/api/v1/ticket/${id}/history`);
  const activity = (who: string, of: string) =>
    s.callAs(token[who]!, 'GET', `/api/v1/audit/users/${userId[of]}`);

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    s.deps.actions.register('ticket', 'close', async ({ tx, ctx, entity, record }) =>
      updateRecordIn(tx, ctx, entity, {
        id: record.id as string,
        patch: { state: 'closed' },
        expectedVersion: null,
      }),
    );
    const roles: Record<string, unknown[]> = {
      agent: [{ entity: 'ticket', actions: ['read', 'create', 'update', 'close'], where: OWN_TEAM }],
      viewer: [{ entity: 'ticket', actions: ['read'], hiddenFields: ['cost_center'] }],
      auditor: [
        { entity: '$audit', actions: ['read'] },
        { entity: 'ticket', actions: ['read'], hiddenFields: ['cost_center'] },
      ],
    };
    for (const [name, permissions] of Object.entries(roles)) {
      const r = await s.call('PUT', `/api/v1/security/roles/${name}`, { label: label(name), permissions });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const users: [string, string[], Record<string, unknown>][] = [
      ['red', ['agent'], { team: 'red' }],
      ['blue', ['agent'], { team: 'blue' }],
      ['viewer', ['viewer'], {}],
      ['auditor', ['auditor'], {}],
      ['nobody', [], {}],
    ];
    for (const [name, roleNames, attributes] of users) {
      token[name] = await s.userWith({ username: name, roles: roleNames, attributes });
      userId[name] = (await s.callAs(token[name]!, 'GET', '/api/v1/auth/me')).body.data.user.id;
    }
    token.admin = s.adminToken;
    userId.admin = (await s.call('GET', '/api/v1/auth/me')).body.data.user.id;

    const created = await s.callAs(token.red!, 'POST', '/api/v1/ticket', {
      title: 'printer',
      team: 'red',
      cost_center: 'CC-7',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    ticket = created.body.data.id;
    for (const title of ['printer jam', 'printer jam again']) {
      const r = await s.callAs(token.red!, 'PATCH', `/api/v1/ticket/${ticket}`, { title });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    await s.call('PATCH', `/api/v1/ticket/${ticket}`, { cost_center: 'CC-9' });
    assert.equal((await s.callAs(token.red!, 'POST', `/api/v1/ticket/${ticket}/close`, {})).status, 200);
    otherTeams = (await s.callAs(token.blue!, 'POST', '/api/v1/ticket', { title: 'vpn', team: 'blue' })).body
      .data.id;
  });
  after(() => s.close());

  it("a record's history, newest first, with who did what", async () => {
    const r = await history('red', ticket);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const items = r.body.data.items as JsonBody[];
    assert.deepEqual(
      items.map((e) => [e.action, e.username?.split('@')[0]]),
      [
        ['action:close', 'red'],
        ['update', 'admin'],
        ['update', 'red'],
        ['update', 'red'],
        ['create', 'red'],
      ],
    );
    const at = items.map((e) => Date.parse(e.at));
    assert.deepEqual(
      at,
      [...at].sort((a, b) => b - a),
    );
    assert.deepEqual(items[3]!.changes, { before: { title: 'printer' }, after: { title: 'printer jam' } });
    assert.equal(r.body.data.total, 5);
  });

  it('404 for a record outside the reader row condition, 403 without read permission', async () => {
    const blue = await history('blue', ticket);
    assert.deepEqual([blue.status, blue.body.error.code], [404, 'RECORD_NOT_FOUND']);
    assert.equal(JSON.stringify(blue.body).includes('printer'), false);
    const own = await history('blue', otherTeams);
    assert.equal(own.status, 200, 'the same user reads the history of their own rows');
    const nobody = await history('nobody', ticket);
    assert.deepEqual([nobody.status, nobody.body.error.code], [403, 'ACCESS_DENIED']);
    const none = await s.callAs(token.red!, 'GET', `/api/v1/ticket/${crypto.randomUUID()}/history`);
    assert.equal(none.status, 404);
  });

  it('history leaves out the fields the reader may not see', async () => {
    const viewer = await history('viewer', ticket);
    assert.equal(viewer.status, 200);
    assert.equal(viewer.body.data.items.length, 5, 'every entry is listed');
    const shown = JSON.stringify(viewer.body.data.items);
    assert.equal(shown.includes('CC-'), false, shown);
    assert.equal(shown.includes('cost_center'), false);
    const admin = JSON.stringify((await history('admin', ticket)).body.data.items);
    assert.ok(admin.includes('CC-7') && admin.includes('CC-9'), 'the control: the values are in the log');
  });

  it("one's own activity: always; another user's: only with $audit read", async () => {
    const mine = await activity('red', 'red');
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    const writes = (items: JsonBody[]) => items.filter((e) => e.entity !== null);
    assert.deepEqual(
      writes(mine.body.data.items).map((e: JsonBody) => e.action),
      ['action:close', 'update', 'update', 'create'],
    );
    // Sign-ins come from the platform's log, in the same timeline.
    assert.equal(mine.body.data.items.at(-1).action, 'login');
    assert.ok(mine.body.data.items.every((e: JsonBody) => e.userId === userId.red));
    for (const who of ['blue', 'viewer', 'nobody']) {
      const r = await activity(who, 'red');
      assert.deepEqual([r.status, r.body.error?.code], [403, 'ACCESS_DENIED'], who);
    }
    const nobodysOwn = await activity('nobody', 'nobody');
    assert.deepEqual([nobodysOwn.status, writes(nobodysOwn.body.data.items)], [200, []]);
    const audited = await activity('auditor', 'red');
    assert.equal(audited.status, 200);
    assert.equal(writes(audited.body.data.items).length, 4);
    assert.equal(
      JSON.stringify(audited.body.data.items).includes('CC-7'),
      false,
      'hidden fields stay hidden',
    );
    const admin = await activity('admin', 'red');
    assert.ok(JSON.stringify(admin.body.data.items).includes('CC-7'));
  });
});
