/**
 * Passwords and accounts through HTTP: changing the password, the one-time password that must be
 * changed first, and disabling an account.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUser } from '@tenon/identity';
import { createTestServer, type TestServer } from '../testing.ts';

const LOGIN = '/api/v1/auth/login';
const PASSWORD = '/api/v1/auth/password';
const REFRESH = '/api/v1/auth/refresh';
const ME = '/api/v1/auth/me';

describe('passwords and accounts', () => {
  let s: TestServer;
  let t = Date.now();
  before(async () => {
    s = await createTestServer({ clock: { now: () => new Date(t) } });
    await s.define([
      {
        name: 'customer',
        label: { en: 'Customer' },
        fields: [{ name: 'name', label: { en: 'Name' }, kind: 'string' }],
      },
    ]);
  });
  after(() => s.close());

  const signIn = (username: string, password: string) =>
    s.callAs(null, 'POST', LOGIN, { username, password });
  const session = async (username: string, password: string) => {
    const res = await signIn(username, password);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.data as { accessToken: string; refreshToken: string; mustChangePassword: boolean };
  };
  const member = async (name: string, roles: string[] = []) => {
    const username = `${name}@${s.tenant.name}`;
    const { userId } = await createUser(s.db, {
      username,
      password: `${name}-password-1`,
      tenant: s.tenant,
      roles,
    });
    return { username, password: `${name}-password-1`, userId };
  };

  describe('changing the password', () => {
    it('refuses a wrong current password with 401 and changes nothing', async () => {
      const u = await member('abe');
      const { accessToken } = await session(u.username, u.password);
      const res = await s.callAs(accessToken, 'POST', PASSWORD, {
        currentPassword: 'not-my-password',
        newPassword: 'a-brand-new-password',
      });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'AUTH_INVALID_CREDENTIALS');
      assert.equal((await signIn(u.username, 'a-brand-new-password')).status, 401);
      assert.equal((await signIn(u.username, u.password)).status, 200);
    });

    it('counts wrong current passwords towards the sign-in lockout', async () => {
      const u = await member('ace');
      const { accessToken } = await session(u.username, u.password);
      const attempt = (currentPassword: string) =>
        s.callAs(accessToken, 'POST', PASSWORD, { currentPassword, newPassword: 'a-brand-new-password' });
      for (let i = 0; i < 5; i++) assert.equal((await attempt(`guess-${i}-password`)).status, 401);
      const locked = await attempt(u.password);
      assert.equal(locked.status, 429);
      assert.equal(locked.body.error.code, 'AUTH_LOCKED');
      // The lockout is the account's: signing in is refused too, until it expires.
      assert.equal((await signIn(u.username, u.password)).status, 429);
      t += 31_000;
      assert.equal((await attempt(u.password)).status, 200);
    });

    it('refuses a weak new password with 422 AUTH_WEAK_PASSWORD', async () => {
      const u = await member('bea');
      const { accessToken } = await session(u.username, u.password);
      for (const newPassword of ['short-pw', '123456789', u.username, u.username.toUpperCase(), u.password]) {
        const res = await s.callAs(accessToken, 'POST', PASSWORD, {
          currentPassword: u.password,
          newPassword,
        });
        assert.equal(res.status, 422, `${newPassword}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, 'AUTH_WEAK_PASSWORD');
      }
      assert.equal((await signIn(u.username, u.password)).status, 200);
      const missing = await s.callAs(accessToken, 'POST', PASSWORD, { newPassword: 'a-brand-new-password' });
      assert.equal(missing.status, 422);
      assert.equal(missing.body.error.details[0].field, 'currentPassword');
    });

    it('changes it and signs out every session of the user', async () => {
      const u = await member('cy');
      const first = await session(u.username, u.password);
      const second = await session(u.username, u.password);
      const bystander = await member('dot');
      const theirs = await session(bystander.username, bystander.password);
      const res = await s.callAs(first.accessToken, 'POST', PASSWORD, {
        currentPassword: u.password,
        newPassword: 'Exactly-10',
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.data.changed, true);
      for (const refreshToken of [first.refreshToken, second.refreshToken]) {
        const refreshed = await s.callAs(null, 'POST', REFRESH, { refreshToken });
        assert.equal(refreshed.status, 401);
        assert.equal(refreshed.body.error.code, 'AUTH_REFRESH_INVALID');
      }
      t += 30_000;
      assert.equal((await s.callAs(second.accessToken, 'GET', ME)).status, 401);
      assert.equal((await signIn(u.username, u.password)).status, 401);
      assert.equal((await signIn(u.username, 'Exactly-10')).status, 200);
      // Other users keep their sessions.
      assert.equal(
        (await s.callAs(null, 'POST', REFRESH, { refreshToken: theirs.refreshToken })).status,
        200,
      );
      const { rows } = await s.db.query<{ event: string }>(
        `SELECT event FROM tenon.auth_event WHERE user_id = $1 AND event = 'password_changed'`,
        [u.userId],
      );
      assert.equal(rows.length, 1);
    });
  });

  describe('a one-time password', () => {
    let username: string;
    let oneTime: string;
    let userId: string;

    before(async () => {
      username = `newbie@${s.tenant.name}`;
      const res = await s.call('POST', '/api/v1/security/users', { username, roles: ['admin'] });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      oneTime = res.body.data.oneTimePassword;
      userId = res.body.data.id;
    });

    it('is returned once when a user is created without a password', async () => {
      assert.match(oneTime, /^[A-Za-z0-9]{16}$/);
      const list = await s.call('GET', '/api/v1/security/users');
      const row = list.body.data.items.find((u: { id: string }) => u.id === userId);
      assert.equal(row.username, username);
      assert.equal(JSON.stringify(list.body).includes(oneTime), false);
    });

    it('signs in with mustChangePassword, and every other endpoint answers 403 until changed', async () => {
      const pending = await session(username, oneTime);
      assert.equal(pending.mustChangePassword, true);
      const token = pending.accessToken;
      const me = await s.callAs(token, 'GET', ME);
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.equal(me.body.data.passwordChangeRequired, true);
      const blocked: [string, string, unknown?][] = [
        ['GET', '/api/v1/customer'],
        ['POST', '/api/v1/customer', { name: 'Sneaky' }],
        ['GET', '/api/v1/security/users'],
        ['GET', '/api/v1/meta/entities'],
        ['GET', '/api/v1/auth/sessions'],
        ['POST', '/api/v1/auth/tokens', { name: 'x', scopes: ['read:*'] }],
        ['POST', '/api/v1/auth/mfa/setup'],
      ];
      for (const [method, url, body] of blocked) {
        const res = await s.callAs(token, method as 'GET', url, body);
        assert.equal(res.status, 403, `${method} ${url}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, 'AUTH_PASSWORD_CHANGE_REQUIRED', `${method} ${url}`);
      }
      const customers = await s.call('GET', '/api/v1/customer');
      assert.equal(customers.body.data.items.length, 0);
      // A refreshed token is still one that must change the password.
      const refreshed = await s.callAs(null, 'POST', REFRESH, { refreshToken: pending.refreshToken });
      assert.equal(refreshed.status, 200);
      const stillBlocked = await s.callAs(refreshed.body.data.accessToken, 'GET', '/api/v1/customer');
      assert.equal(stillBlocked.body.error.code, 'AUTH_PASSWORD_CHANGE_REQUIRED');
      // Signing out works meanwhile.
      const out = await s.callAs(refreshed.body.data.accessToken, 'POST', '/api/v1/auth/logout');
      assert.equal(out.status, 200, JSON.stringify(out.body));
    });

    it('after the change, signs in without the flag and may use the API', async () => {
      const { accessToken } = await session(username, oneTime);
      const weak = await s.callAs(accessToken, 'POST', PASSWORD, {
        currentPassword: oneTime,
        newPassword: 'short',
      });
      assert.equal(weak.status, 422);
      const changed = await s.callAs(accessToken, 'POST', PASSWORD, {
        currentPassword: oneTime,
        newPassword: 'my-own-password-1',
      });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal((await signIn(username, oneTime)).status, 401);
      const fresh = await session(username, 'my-own-password-1');
      assert.equal(fresh.mustChangePassword, false);
      const list = await s.callAs(fresh.accessToken, 'GET', '/api/v1/customer');
      assert.equal(list.status, 200, JSON.stringify(list.body));
    });
  });

  describe('disabling an account', () => {
    it("refuses the user's existing token within 30 s, their sign-in and their refresh", async () => {
      const u = await member('eli', ['admin']);
      const live = await session(u.username, u.password);
      assert.equal((await s.callAs(live.accessToken, 'GET', ME)).status, 200);
      const res = await s.call('PATCH', `/api/v1/security/users/${u.userId}`, { disabled: true });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      t += 30_000;
      const me = await s.callAs(live.accessToken, 'GET', ME);
      assert.equal(me.status, 403);
      assert.equal(me.body.error.code, 'AUTH_DISABLED');
      const again = await signIn(u.username, u.password);
      assert.equal(again.status, 403);
      assert.equal(again.body.error.code, 'AUTH_DISABLED');
      // A wrong password is still just a wrong password.
      assert.equal((await signIn(u.username, 'wrong-password')).body.error.code, 'AUTH_INVALID_CREDENTIALS');
      const refreshed = await s.callAs(null, 'POST', REFRESH, { refreshToken: live.refreshToken });
      assert.equal(refreshed.status, 401);
      const listed = await s.call('GET', '/api/v1/security/users');
      assert.equal(listed.body.data.items.find((x: { id: string }) => x.id === u.userId).disabled, true);
    });

    it('enabling again lets the user sign in', async () => {
      const u = await member('fox');
      await s.call('PATCH', `/api/v1/security/users/${u.userId}`, { disabled: true });
      assert.equal((await signIn(u.username, u.password)).status, 403);
      await s.call('PATCH', `/api/v1/security/users/${u.userId}`, { disabled: false });
      const back = await session(u.username, u.password);
      assert.equal((await s.callAs(back.accessToken, 'GET', ME)).status, 200);
    });

    it('only with $security update; unknown properties and other tenants are refused', async () => {
      const u = await member('gale');
      const victim = await member('hugo');
      const { accessToken } = await session(u.username, u.password);
      const denied = await s.callAs(accessToken, 'PATCH', `/api/v1/security/users/${victim.userId}`, {
        disabled: true,
      });
      assert.equal(denied.status, 403);
      assert.equal(denied.body.error.code, 'ACCESS_DENIED');
      const extra = await s.call('PATCH', `/api/v1/security/users/${victim.userId}`, {
        disabled: true,
        username: 'renamed',
      });
      assert.equal(extra.status, 422, JSON.stringify(extra.body));
      assert.equal(extra.body.error.details[0].field, 'username');
      assert.equal((await signIn(victim.username, victim.password)).status, 200);
      const other = await createTestServer({ db: s.db });
      try {
        const cross = await other.call('PATCH', `/api/v1/security/users/${victim.userId}`, {
          disabled: true,
        });
        assert.equal(cross.status, 404);
      } finally {
        await other.close();
      }
      assert.equal((await signIn(victim.username, victim.password)).status, 200);
    });
  });
});
