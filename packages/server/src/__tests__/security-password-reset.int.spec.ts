/**
 * An administrator resets a member's password: a one-time password shown once, to be changed at the
 * next sign-in; the account unlocked; every session of the user ended at once. Only for members of
 * this tenant alone, only with `$security` update.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestTenant } from '@tenon/db/testing';
import { createUser, MAX_FAILED_LOGINS } from '@tenon/identity';
import { createTestServer, type TestServer } from '../testing.ts';

const ME = '/api/v1/auth/me';

describe('password reset by an administrator', () => {
  let s: TestServer;
  before(async () => {
    s = await createTestServer();
  });
  after(() => s.close());

  const nameOf = (name: string) => `${name}@${s.tenant.name}`;
  const login = (name: string, password: string) =>
    s.callAs(null, 'POST', '/api/v1/auth/login', { username: nameOf(name), password });
  /** A member with roles `roles`, signed in: their token and id. */
  const member = async (name: string, roles: string[] = []) => {
    const token = await s.userWith({ username: name, roles });
    const me = await s.callAs(token, 'GET', ME);
    return { token, id: me.body.data.user.id as string };
  };
  const reset = (id: string, body?: unknown, token = s.adminToken) =>
    s.callAs(token, 'POST', `/api/v1/security/users/${id}/password`, body);

  it('gives a one-time password, ends every session at once and logs who did it', async () => {
    const { token, id } = await member('nurse');
    const res = await reset(id);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { oneTimePassword, username } = res.body.data as { oneTimePassword: string; username: string };
    assert.equal(username, nameOf('nurse'));
    assert.ok(oneTimePassword.length >= 12);
    assert.equal((await s.callAs(token, 'GET', ME)).status, 401, 'the old session ended');
    assert.equal((await login('nurse', 'nurse-password-1')).status, 401, 'the old password is gone');
    const fresh = await login('nurse', oneTimePassword);
    assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
    assert.equal(fresh.body.data.mustChangePassword, true);
    const other = await s.callAs(fresh.body.data.accessToken, 'GET', '/api/v1/security/users');
    assert.equal(other.body.error.code, 'AUTH_PASSWORD_CHANGE_REQUIRED');
    const events = await s.db.query<{ event: string; username: string }>(
      `SELECT event, username FROM tenon.auth_event WHERE user_id = $1 AND event = 'password_reset'`,
      [id],
    );
    assert.deepEqual(events.rows, [{ event: 'password_reset', username: nameOf('admin') }]);
  });

  it('unlocks an account locked by failed sign-ins', async () => {
    const { id } = await member('locked');
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await login('locked', 'not-the-password');
    const refused = await login('locked', 'locked-password-1');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'AUTH_LOCKED');
    const res = await reset(id);
    assert.equal(res.status, 200);
    assert.equal((await login('locked', res.body.data.oneTimePassword)).status, 200);
  });

  it('takes a password the administrator chose, if strong enough; a weak one changes nothing', async () => {
    const { id } = await member('chosen');
    const weak = await reset(id, { password: '1234' });
    assert.equal(weak.status, 422);
    assert.equal(weak.body.error.code, 'AUTH_WEAK_PASSWORD');
    assert.equal((await login('chosen', 'chosen-password-1')).status, 200, 'nothing changed');
    const strong = await reset(id, { password: 'Temporary-Pass-2026' });
    assert.equal(strong.status, 200);
    assert.equal(strong.body.data.oneTimePassword, 'Temporary-Pass-2026');
    const fresh = await login('chosen', 'Temporary-Pass-2026');
    assert.equal(fresh.body.data.mustChangePassword, true);
  });

  it('refuses bad input, unknown users and callers without the right, changing nothing', async () => {
    const { id } = await member('plain');
    const clerk = await member('clerk');
    const forbidden = await reset(id, undefined, clerk.token);
    assert.equal(forbidden.status, 403);
    for (const bad of ['not-an-id', '0190a0b0-0000-7000-8000-000000000000']) {
      const res = await reset(bad);
      assert.equal(res.status, 404, `${bad}: ${JSON.stringify(res.body)}`);
    }
    const extra = await reset(id, { password: 'Temporary-Pass-2026', mustChange: false });
    assert.equal(extra.status, 422);
    assert.equal((await login('plain', 'plain-password-1')).status, 200, 'nothing changed');
  });

  it("refuses a user who also belongs to another tenant: not this tenant's administrators' to reset", async () => {
    const { id } = await member('shared');
    const other = await createTestTenant(s.db);
    await createUser(s.db, { username: nameOf('shared'), tenant: other, roles: [] });
    const res = await reset(id);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'USER_OF_OTHER_TENANTS');
    assert.equal((await login('shared', 'shared-password-1')).status, 400, 'several tenants: name one');
    const signIn = await s.callAs(null, 'POST', '/api/v1/auth/login', {
      username: nameOf('shared'),
      password: 'shared-password-1',
      tenant: s.tenant.name,
    });
    assert.equal(signIn.status, 200, 'the password is unchanged');
  });

  it('a user of another tenant only is no member here', async () => {
    const other = await createTestTenant(s.db);
    const outsider = await createUser(s.db, {
      username: `outsider@${other.name}`,
      password: 'outsider-password-1',
      tenant: other,
      roles: [],
    });
    const res = await reset(outsider.userId);
    assert.equal(res.status, 404);
  });
});
