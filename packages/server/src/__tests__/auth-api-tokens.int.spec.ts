/**
 * API tokens for integrations through HTTP: shown once, stored as a hash, limited by their scopes
 * and by the owner's roles, revocable, and unable to manage the account that made them.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type TestServer } from '../testing.ts';

const TOKENS = '/api/v1/auth/tokens';
const entity = (name: string) => ({
  name,
  label: { en: name },
  fields: [{ name: 'name', label: { en: 'Name' }, kind: 'string' }],
});

describe('API tokens', () => {
  let s: TestServer;
  let t = Date.now();
  before(async () => {
    s = await createTestServer({ clock: { now: () => new Date(t) } });
    await s.define([entity('customer'), entity('supplier')]);
    assert.equal((await s.call('POST', '/api/v1/customer', { name: 'Acme' })).status, 201);
    assert.equal((await s.call('POST', '/api/v1/supplier', { name: 'Bolt' })).status, 201);
  });
  after(() => s.close());

  const create = async (body: unknown, token = s.adminToken) => {
    const res = await s.callAs(token, 'POST', TOKENS, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.data as { id: string; token: string };
  };
  const code = async (token: string, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) => {
    const res = await s.callAs(token, method, url, body);
    return res.status < 300 ? res.status : `${res.status} ${res.body.error.code}`;
  };

  it('creates a tna_ token, shown once, that authenticates as its owner', async () => {
    const created = await create({ name: 'erp-sync', scopes: ['read:customer'] });
    assert.match(created.id, /^[0-9a-f-]{36}$/);
    assert.match(created.token, /^tna_[\w-]{40,}$/);
    const me = await s.callAs(created.token, 'GET', '/api/v1/auth/me');
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.data.via, 'api_token');
    assert.equal(me.body.data.user.username, `admin@${s.tenant.name}`);
    assert.equal(me.body.data.tenant, s.tenant.name);
  });

  it('is stored only as a hash', async () => {
    const created = await create({ name: 'hash-check', scopes: ['read:*'] });
    const { rows } = await s.db.query(`SELECT * FROM tenon.api_token WHERE id = $1`, [created.id]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.token_hash, createHash('sha256').update(created.token).digest('hex'));
    const all = await s.db.query(`SELECT * FROM tenon.api_token`);
    const secret = created.token.slice('tna_'.length);
    assert.equal(JSON.stringify(all.rows).includes(secret), false);
  });

  it('its scopes restrict: read:customer lists customers, creates none, reads nothing else', async () => {
    const { token } = await create({ name: 'reader', scopes: ['read:customer'] });
    const list = await s.callAs(token, 'GET', '/api/v1/customer');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.deepEqual(
      list.body.data.items.map((c: { name: string }) => c.name),
      ['Acme'],
    );
    const id = list.body.data.items[0].id as string;
    assert.equal(await code(token, 'GET', `/api/v1/customer/${id}`), 200);
    assert.equal(await code(token, 'POST', '/api/v1/customer', { name: 'Nope' }), '403 ACCESS_DENIED');
    assert.equal(await code(token, 'DELETE', `/api/v1/customer/${id}`), '403 ACCESS_DENIED');
    assert.equal(await code(token, 'GET', '/api/v1/supplier'), '403 ACCESS_DENIED');
    assert.equal(await code(token, 'GET', '/api/v1/security/users'), '403 ACCESS_DENIED');
    assert.equal(await code(token, 'GET', '/api/v1/meta/entities'), '403 ACCESS_DENIED');
    assert.equal((await s.call('GET', '/api/v1/customer')).body.data.items.length, 1);
  });

  it('a create scope allows that action only', async () => {
    const { token } = await create({ name: 'writer', scopes: ['create:supplier', 'read:supplier'] });
    assert.equal(await code(token, 'POST', '/api/v1/supplier', { name: 'Cogs' }), 201);
    assert.equal(await code(token, 'POST', '/api/v1/customer', { name: 'Nope' }), '403 ACCESS_DENIED');
    assert.equal(await code(token, 'GET', '/api/v1/customer'), '403 ACCESS_DENIED');
  });

  it("never exceeds its owner's roles", async () => {
    await s.call('PUT', '/api/v1/security/roles/customer_reader', {
      label: { en: 'Customer reader' },
      permissions: [{ entity: 'customer', actions: ['read'] }],
    });
    const owner = await s.userWith({ username: 'integrator', roles: ['customer_reader'] });
    const { token } = await create({ name: 'all', scopes: ['*:*'] }, owner);
    assert.equal(await code(token, 'GET', '/api/v1/customer'), 200);
    assert.equal(await code(token, 'POST', '/api/v1/customer', { name: 'Nope' }), '403 ACCESS_DENIED');
    assert.equal(await code(token, 'GET', '/api/v1/supplier'), '403 ACCESS_DENIED');
  });

  it('refuses malformed scopes, names and unknown properties', async () => {
    for (const body of [
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['customer'] },
      { name: 'x', scopes: ['read:Customer'] },
      { name: '', scopes: ['read:*'] },
      { name: '   ', scopes: ['read:*'] },
      { scopes: ['read:*'] },
      { name: 'x', scopes: ['read:*'], userId: 'someone-else' },
      { name: 'x', scopes: ['read:*'], expiresInDays: 0 },
    ]) {
      const res = await s.call('POST', TOKENS, body);
      assert.equal(res.status, 422, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.ok(res.body.error.details.length > 0, JSON.stringify(body));
    }
  });

  it('revoking makes it a 401 at once; only its owner can revoke it', async () => {
    const created = await create({ name: 'short-lived', scopes: ['read:customer'] });
    const other = await s.userWith({ username: 'bystander', roles: ['admin'] });
    assert.equal(await code(other, 'DELETE', `${TOKENS}/${created.id}`), '404 NOT_FOUND');
    assert.equal(await code(created.token, 'GET', '/api/v1/customer'), 200);
    assert.equal(await code(s.adminToken, 'DELETE', `${TOKENS}/${created.id}`), 200);
    assert.equal(await code(created.token, 'GET', '/api/v1/customer'), '401 AUTH_INVALID_TOKEN');
    assert.equal(await code(s.adminToken, 'DELETE', `${TOKENS}/${created.id}`), '404 NOT_FOUND');
    assert.equal(await code(s.adminToken, 'DELETE', `${TOKENS}/not-a-token-id`), '404 NOT_FOUND');
    assert.equal(await code('tna_made-up-token', 'GET', '/api/v1/customer'), '401 AUTH_INVALID_TOKEN');
  });

  it("lists the caller's own tokens, never their secrets; revoked ones marked", async () => {
    const owner = await s.userWith({ username: 'lister', roles: ['admin'] });
    const kept = await create({ name: 'kept', scopes: ['read:customer'], expiresInDays: 30 }, owner);
    const gone = await create({ name: 'gone', scopes: ['*:*'] }, owner);
    assert.equal(await code(owner, 'DELETE', `${TOKENS}/${gone.id}`), 200);
    await create({ name: 'not-mine', scopes: ['read:*'] });
    const res = await s.callAs(owner, 'GET', TOKENS);
    assert.equal(res.status, 200);
    const items = res.body.data.items as Record<string, unknown>[];
    assert.deepEqual(
      items.map((i) => [i.id, i.name, i.scopes, i.revoked_at !== null, i.expires_at !== null]),
      [
        [gone.id, 'gone', ['*:*'], true, false],
        [kept.id, 'kept', ['read:customer'], false, true],
      ],
    );
    const listed = JSON.stringify(res.body);
    for (const secret of [kept.token, gone.token]) {
      assert.equal(listed.includes(secret), false);
      assert.equal(listed.includes(createHash('sha256').update(secret).digest('hex')), false);
    }
  });

  it("cannot make API tokens nor manage its owner's account", async () => {
    const { token } = await s
      .callAs(null, 'POST', '/api/v1/auth/login', {
        username: `admin@${s.tenant.name}`,
        password: 'admin-password-1',
      })
      .then((r) => ({ token: r.body.data.accessToken as string }));
    const sibling = await create({ name: 'sibling', scopes: ['read:customer'] }, token);
    const api = await create({ name: 'full', scopes: ['*:*'] }, token);
    const before = (await s.db.query(`SELECT id FROM tenon.api_token`)).rows.length;
    const attempts: [string, 'GET' | 'POST' | 'DELETE', unknown?][] = [
      [TOKENS, 'POST', { name: 'child', scopes: ['read:*'] }],
      [TOKENS, 'GET'],
      [`${TOKENS}/${sibling.id}`, 'DELETE'],
      ['/api/v1/auth/mfa', 'GET'],
      ['/api/v1/auth/mfa/setup', 'POST'],
      ['/api/v1/auth/mfa/confirm', 'POST', { code: '123456' }],
      ['/api/v1/auth/mfa/disable', 'POST', { password: 'admin-password-1' }],
      [
        '/api/v1/auth/password',
        'POST',
        { currentPassword: 'admin-password-1', newPassword: 'taken-over-pw-1' },
      ],
      ['/api/v1/auth/sessions', 'GET'],
      [
        `/api/v1/auth/sessions/${JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sid}`,
        'DELETE',
      ],
    ];
    for (const [url, method, body] of attempts) {
      assert.equal(await code(api.token, method, url, body), '403 AUTH_SESSION_REQUIRED', `${method} ${url}`);
    }
    assert.equal((await s.db.query(`SELECT id FROM tenon.api_token`)).rows.length, before);
    assert.equal(await code(sibling.token, 'GET', '/api/v1/customer'), 200);
    assert.equal(await code(token, 'GET', '/api/v1/auth/me'), 200);
    const { rows } = await s.db.query<{ mfa_secret: string | null }>(
      `SELECT mfa_secret FROM tenon."user" WHERE username = $1`,
      [`admin@${s.tenant.name}`],
    );
    assert.equal(rows[0]?.mfa_secret, null);
    // The session that made them may.
    assert.equal(await code(token, 'POST', TOKENS, { name: 'from-session', scopes: ['read:*'] }), 201);
  });

  it('stops working when its owner is disabled', async () => {
    const owner = await s.userWith({ username: 'leaver', roles: ['admin'] });
    const { token } = await create({ name: 'leaver-sync', scopes: ['read:customer'] }, owner);
    assert.equal(await code(token, 'GET', '/api/v1/customer'), 200);
    const me = await s.callAs(owner, 'GET', '/api/v1/auth/me');
    const patched = await s.call('PATCH', `/api/v1/security/users/${me.body.data.user.id}`, {
      disabled: true,
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    t += 30_000;
    assert.equal(await code(token, 'GET', '/api/v1/customer'), '403 AUTH_DISABLED');
  });

  it('expires after expiresInDays (moves the clock a day: keep last)', async () => {
    const created = await create({ name: 'one-day', scopes: ['read:customer'], expiresInDays: 1 });
    t += 86_400_000 - 1_000;
    assert.equal(await code(created.token, 'GET', '/api/v1/customer'), 200);
    t += 1_000;
    assert.equal(await code(created.token, 'GET', '/api/v1/customer'), '401 AUTH_INVALID_TOKEN');
  });
});
