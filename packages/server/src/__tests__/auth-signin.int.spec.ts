/**
 * Password sign-in through HTTP: the response, indistinguishable failures, the body schema, the
 * tenant choice of a user in two tenants, and the lockout with its doubling backoff.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Tenant } from '@tenon/db';
import { createTestTenant } from '@tenon/db/testing';
import { applyDefinitions } from '@tenon/design';
import { createUser } from '@tenon/identity';
import { createTestServer, type TestServer } from '../testing.ts';

const LOGIN = '/api/v1/auth/login';
const CUSTOMER = {
  name: 'customer',
  label: { en: 'Customer' },
  fields: [{ name: 'name', label: { en: 'Name' }, kind: 'string' }],
};

/** A user of the server's tenant with a known password; returns the full username. */
async function member(s: TestServer, name: string, roles: string[] = []): Promise<string> {
  const username = `${name}@${s.tenant.name}`;
  await createUser(s.db, {
    username,
    password: `${name}-password-1`,
    tenant: s.tenant,
    roles,
    mustChangePassword: false,
  });
  return username;
}

const signIn = (s: TestServer, body: Record<string, unknown>) =>
  s.callAs(null, 'POST', LOGIN, body, { 'accept-language': 'en' });

describe('sign-in', () => {
  let s: TestServer;
  before(async () => {
    s = await createTestServer();
  });
  after(() => s.close());

  it('returns a token pair, the user and the tenant; the access token authenticates', async () => {
    const username = await member(s, 'carol', ['admin']);
    const res = await signIn(s, { username, password: 'carol-password-1' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const data = res.body.data;
    assert.match(data.accessToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.match(data.refreshToken, /^tnr_[\w-]{40,}$/);
    assert.equal(data.expiresIn, 900);
    assert.equal(data.tokenType, 'Bearer');
    assert.equal(data.user.username, username);
    assert.match(data.user.id, /^[0-9a-f-]{36}$/);
    assert.equal(data.tenant, s.tenant.name);
    assert.equal(data.mustChangePassword, false);

    const me = await s.callAs(data.accessToken, 'GET', '/api/v1/auth/me');
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.data.user.id, data.user.id);
    assert.equal(me.body.data.tenant, s.tenant.name);
    assert.deepEqual(me.body.data.roles, ['admin']);
  });

  it('accepts the username in another letter case', async () => {
    const username = await member(s, 'casey');
    const res = await signIn(s, { username: username.toUpperCase(), password: 'casey-password-1' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.data.user.username, username);
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const username = await member(s, 'dan');
    const wrong = await signIn(s, { username, password: 'not-the-password' });
    const unknown = await signIn(s, { username: `nobody@${s.tenant.name}`, password: 'not-the-password' });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.error.code, 'AUTH_INVALID_CREDENTIALS');
    assert.deepEqual(unknown.body.error, wrong.body.error);
    assert.equal(unknown.body.message, wrong.body.message);
    assert.equal(wrong.body.data, null);
    const { rows } = await s.db.query<{ event: string; user_id: string | null }>(
      `SELECT event, user_id FROM tenon.auth_event WHERE username = $1`,
      [`nobody@${s.tenant.name}`],
    );
    assert.deepEqual(rows, [{ event: 'login_failed', user_id: null }]);
  });

  it('refuses unknown properties with field details, and signs nobody in', async () => {
    const username = await member(s, 'erin');
    const res = await signIn(s, { username, password: 'erin-password-1', role: 'admin' });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    assert.deepEqual(
      res.body.error.details.map((d: { field: string; code: string }) => [d.field, d.code]),
      [['role', 'unknown_field']],
    );
    assert.equal(res.body.data, null);
  });

  it('refuses missing and empty fields with field details', async () => {
    const noPassword = await signIn(s, { username: `erin@${s.tenant.name}` });
    assert.equal(noPassword.status, 422);
    assert.deepEqual(
      noPassword.body.error.details.map((d: { field: string; code: string }) => [d.field, d.code]),
      [['password', 'required']],
    );
    const noUsername = await signIn(s, { password: 'whatever-password' });
    assert.equal(noUsername.status, 422);
    assert.equal(noUsername.body.error.details[0].field, 'username');
    const empty = await signIn(s, { username: '', password: 'whatever-password' });
    assert.equal(empty.status, 422);
    assert.deepEqual(
      empty.body.error.details.map((d: { field: string; code: string }) => [d.field, d.code]),
      [['username', 'minLength']],
    );
  });

  describe('a user in two tenants', () => {
    let other: Tenant;
    let username: string;
    const password = 'fay-password-1';

    before(async () => {
      other = await createTestTenant(s.db);
      username = `fay@${s.tenant.name}`;
      // Only a reader here, an administrator in the other tenant.
      await s.call('PUT', '/api/v1/security/roles/reader', {
        label: { en: 'Reader' },
        permissions: [{ entity: 'customer', actions: ['read'] }],
      });
      await createUser(s.db, { username, password, tenant: s.tenant, roles: [], mustChangePassword: false });
      await createUser(s.db, { username, tenant: other, roles: ['admin'] });
      await s.define([CUSTOMER]);
      await applyDefinitions(s.db, await s.deps.metamodels.forTenant(other), [CUSTOMER], { mode: 'upsert' });
      s.deps.metamodels.invalidate(other.name);
      const here = await s.call('POST', '/api/v1/customer', { name: 'Only here' });
      assert.equal(here.status, 201, JSON.stringify(here.body));
    });

    it('must name the tenant; the error lists both', async () => {
      const res = await signIn(s, { username, password });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'AUTH_TENANT_REQUIRED');
      assert.deepEqual(
        res.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]),
        [s.tenant.name, other.name].sort().map((t) => ['tenant', t]),
      );
    });

    it('a wrong password is still AUTH_INVALID_CREDENTIALS, not a list of tenants', async () => {
      const res = await signIn(s, { username, password: 'not-the-password' });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'AUTH_INVALID_CREDENTIALS');
      assert.deepEqual(res.body.error.details, []);
    });

    it("gets only the named tenant's data and roles with its token", async () => {
      const there = await signIn(s, { username, password, tenant: other.name });
      assert.equal(there.status, 200, JSON.stringify(there.body));
      assert.equal(there.body.data.tenant, other.name);
      const token = there.body.data.accessToken as string;
      const me = await s.callAs(token, 'GET', '/api/v1/auth/me');
      assert.equal(me.body.data.tenant, other.name);
      assert.deepEqual(me.body.data.roles, ['admin']);
      const created = await s.callAs(token, 'POST', '/api/v1/customer', { name: 'Only there' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const list = await s.callAs(token, 'GET', '/api/v1/customer');
      assert.deepEqual(
        list.body.data.items.map((c: { name: string }) => c.name),
        ['Only there'],
      );
      // Its own record in the first tenant is not visible through this token.
      const hereList = await s.call('GET', '/api/v1/customer');
      const hereId = hereList.body.data.items[0].id as string;
      const cross = await s.callAs(token, 'GET', `/api/v1/customer/${hereId}`);
      assert.equal(cross.status, 404);
    });

    it('in the first tenant the same user has no role', async () => {
      const here = await signIn(s, { username, password, tenant: s.tenant.name });
      assert.equal(here.status, 200, JSON.stringify(here.body));
      const token = here.body.data.accessToken as string;
      const list = await s.callAs(token, 'GET', '/api/v1/customer');
      assert.equal(list.status, 403);
      assert.equal(list.body.error.code, 'ACCESS_DENIED');
      assert.equal((await s.callAs(token, 'GET', '/api/v1/security/users')).status, 403);
    });

    it('a tenant the user is no member of is refused', async () => {
      const third = await createTestTenant(s.db);
      const res = await signIn(s, { username, password, tenant: third.name });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'AUTH_NO_MEMBERSHIP');
    });
  });
});

describe('lockout', () => {
  let s: TestServer;
  let t = Date.now();
  before(async () => {
    s = await createTestServer({ clock: { now: () => new Date(t) } });
  });
  after(() => s.close());

  const attempt = async (username: string, password: string) => {
    const res = await signIn(s, { username, password });
    return res.status === 200 ? 'ok' : (res.body.error.code as string);
  };

  it('locks after five failures, even for the right password, and unlocks after 30 s', async () => {
    const username = await member(s, 'gil');
    for (let i = 0; i < 5; i++)
      assert.equal(await attempt(username, 'wrong-password'), 'AUTH_INVALID_CREDENTIALS');
    const locked = await signIn(s, { username, password: 'gil-password-1' });
    assert.equal(locked.status, 429, JSON.stringify(locked.body));
    assert.equal(locked.body.error.code, 'AUTH_LOCKED');
    assert.match(locked.body.message, /30 seconds/);
    t += 29_000;
    assert.equal(await attempt(username, 'gil-password-1'), 'AUTH_LOCKED');
    t += 1_000;
    assert.equal(await attempt(username, 'gil-password-1'), 'ok');
  });

  it('doubles the lock with each further failure', async () => {
    const username = await member(s, 'hal');
    for (let i = 0; i < 5; i++) await attempt(username, 'wrong-password');
    t += 30_000;
    // The sixth failure locks for 60 s, the seventh for 120 s.
    assert.equal(await attempt(username, 'wrong-password'), 'AUTH_INVALID_CREDENTIALS');
    t += 59_000;
    assert.equal(await attempt(username, 'hal-password-1'), 'AUTH_LOCKED');
    t += 1_000;
    assert.equal(await attempt(username, 'wrong-password'), 'AUTH_INVALID_CREDENTIALS');
    const locked = await signIn(s, { username, password: 'hal-password-1' });
    assert.match(locked.body.message, /120 seconds/);
    t += 119_000;
    assert.equal(await attempt(username, 'hal-password-1'), 'AUTH_LOCKED');
    t += 1_000;
    assert.equal(await attempt(username, 'hal-password-1'), 'ok');
  });

  it('a successful sign-in resets the counter', async () => {
    const username = await member(s, 'ida');
    for (let i = 0; i < 4; i++) await attempt(username, 'wrong-password');
    assert.equal(await attempt(username, 'ida-password-1'), 'ok');
    for (let i = 0; i < 4; i++)
      assert.equal(await attempt(username, 'wrong-password'), 'AUTH_INVALID_CREDENTIALS');
    assert.equal(await attempt(username, 'ida-password-1'), 'ok');
    const { rows } = await s.db.query<{ failed_logins: number }>(
      `SELECT failed_logins FROM tenon."user" WHERE username = $1`,
      [username],
    );
    assert.equal(rows[0]?.failed_logins, 0);
  });

  it('parallel guesses get no more than five tries', async () => {
    const username = await member(s, 'jo');
    const results = await Promise.all(Array.from({ length: 12 }, () => attempt(username, 'wrong-password')));
    assert.equal(results.filter((r) => r === 'AUTH_INVALID_CREDENTIALS').length, 5, results.join(','));
    assert.equal(results.filter((r) => r === 'AUTH_LOCKED').length, 7, results.join(','));
    assert.equal(await attempt(username, 'jo-password-1'), 'AUTH_LOCKED');
  });

  it('locks one account only', async () => {
    const username = await member(s, 'kim');
    for (let i = 0; i < 5; i++) await attempt(`gil@${s.tenant.name}`, 'wrong-password');
    assert.equal(await attempt(`gil@${s.tenant.name}`, 'gil-password-1'), 'AUTH_LOCKED');
    assert.equal(await attempt(username, 'kim-password-1'), 'ok');
  });
});
