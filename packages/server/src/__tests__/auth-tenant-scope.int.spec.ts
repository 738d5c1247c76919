import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '@tenon/db';
import { openTestDatabase } from '@tenon/db/testing';
import { createTestServer, type TestServer } from '../testing.ts';

describe("a tenant's administrators cannot reach users of other tenants", () => {
  let db: Database;
  let a: TestServer;
  let b: TestServer;
  let bUserToken: string;
  let bUserId: string;

  before(async () => {
    db = await openTestDatabase();
    a = await createTestServer({ db });
    b = await createTestServer({ db });
    bUserToken = await b.userWith({ username: 'clerk', roles: [] });
    bUserId = (await b.callAs(bUserToken, 'GET', '/api/v1/auth/me')).body.data.user.id;
  });
  after(async () => {
    await a.close();
    await b.close();
    await db.close();
  });

  it('adding an existing username from another tenant is refused', async () => {
    const res = await a.call('POST', '/api/v1/security/users', {
      username: `clerk@${b.tenant.name}`,
      roles: [],
    });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'USER_EXISTS');
    const me = await b.callAs(bUserToken, 'GET', '/api/v1/auth/me');
    assert.equal(me.status, 200);
  });

  it("disabling is per membership: B's admin disables B's user in B only; A cannot touch them", async () => {
    const fromA = await a.call('PATCH', `/api/v1/security/users/${bUserId}`, { disabled: true });
    assert.equal(fromA.status, 404);
    const fromB = await b.call('PATCH', `/api/v1/security/users/${bUserId}`, { disabled: true });
    assert.equal(fromB.status, 200);
    const users = await b.call('GET', '/api/v1/security/users');
    assert.equal(users.body.data.items.find((u: { id: string }) => u.id === bUserId).disabled, true);
    const signIn = await b.callAs(null, 'POST', '/api/v1/auth/login', {
      username: `clerk@${b.tenant.name}`,
      password: 'clerk-password-1',
      tenant: b.tenant.name,
    });
    assert.equal(signIn.status, 403);
    assert.equal(signIn.body.error.code, 'AUTH_DISABLED');
  });
});
