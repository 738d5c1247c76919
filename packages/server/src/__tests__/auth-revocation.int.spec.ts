/**
 * Revocations reach every instance at once (decision 0075): two app instances over one database, each
 * with its own Authenticator (its own caches) listening on ACCESS_CHANNEL. The clock never moves, so
 * the 30-second cache bound cannot be what makes the other instance refuse a revoked token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '@tenon/db';
import {
  ACCESS_CHANNEL,
  Authenticator,
  parseAccessChange,
  revokeFamily,
  watchAccessChanges,
} from '@tenon/identity';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { createTestServer, type TestServer } from '../testing.ts';

const ME = '/api/v1/auth/me';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

async function callOn(app: FastifyInstance, token: string, method: Method, url: string, body?: unknown) {
  const res = await app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

const sidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

describe('revocations reach every instance at once', () => {
  let s: TestServer;
  let second: FastifyInstance;
  const stops: (() => Promise<void>)[] = [];

  before(async () => {
    s = await createTestServer();
    const secondAuth = new Authenticator(s.deps.identity);
    second = await buildApp({ ...s.deps, auth: secondAuth }, { logLevel: 'warn' });
    stops.push(await watchAccessChanges(s.db, s.deps.auth), await watchAccessChanges(s.db, secondAuth));
  });
  after(async () => {
    for (const stop of stops) await stop();
    await second?.close();
    await s?.close();
  });

  /** Both instances answered `token` (so both cached its session and user as valid). */
  const warm = async (token: string) => {
    assert.equal((await callOn(s.app, token, 'GET', ME)).status, 200);
    assert.equal((await callOn(second, token, 'GET', ME)).status, 200);
  };

  /**
   * The second instance refuses `token` (401, or `refusal`) within 5 s: the announcement travels
   * through the database.
   */
  const refusedBySecond = async (token: string, what: string, refusal = 401) => {
    const until = Date.now() + 5000;
    for (;;) {
      const { status } = await callOn(second, token, 'GET', ME);
      if (status === refusal) return;
      assert.equal(status, 200);
      if (Date.now() > until) assert.fail(`${what}: the second instance still accepts the token after 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('signing out on one instance: refused there at once, and by the other', async () => {
    const token = await s.userWith({ username: 'out', roles: [] });
    const other = await s.signInAs('out');
    await warm(token);
    await warm(other);
    assert.equal((await callOn(s.app, token, 'POST', '/api/v1/auth/logout')).status, 200);
    assert.equal((await callOn(s.app, token, 'GET', ME)).status, 401);
    await refusedBySecond(token, 'signed out');
    // Only that session ended.
    assert.equal((await callOn(second, other, 'GET', ME)).status, 200);
  });

  it('revoking a session on one instance: refused by the other', async () => {
    await s.userWith({ username: 'rev', roles: [] });
    const mine = await s.signInAs('rev');
    const lost = await s.signInAs('rev');
    await warm(lost);
    const res = await callOn(s.app, mine, 'DELETE', `/api/v1/auth/sessions/${sidOf(lost)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await callOn(s.app, lost, 'GET', ME)).status, 401);
    await refusedBySecond(lost, 'revoked session');
  });

  it("a new password ends the user's other sessions on every instance", async () => {
    await s.userWith({ username: 'pw', roles: [] });
    const here = await s.signInAs('pw');
    const elsewhere = await s.signInAs('pw');
    await warm(elsewhere);
    const res = await callOn(s.app, here, 'POST', '/api/v1/auth/password', {
      currentPassword: 'pw-password-1',
      newPassword: 'a-New-password-2026',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await callOn(s.app, elsewhere, 'GET', ME)).status, 401);
    await refusedBySecond(elsewhere, 'after a new password');
  });

  it('an API token revoked through one instance is refused by the other', async () => {
    const owner = await s.userWith({ username: 'tok', roles: ['admin'] });
    const created = await callOn(s.app, owner, 'POST', '/api/v1/auth/tokens', {
      name: 'integration',
      scopes: ['read:*'],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, token } = created.body.data as { id: string; token: string };
    await warm(token);
    assert.equal((await callOn(s.app, owner, 'DELETE', `/api/v1/auth/tokens/${id}`)).status, 200);
    assert.equal((await callOn(s.app, token, 'GET', ME)).status, 401);
    await refusedBySecond(token, 'revoked API token');
  });

  it("a membership disabled by an administrator on one instance: the user's token is refused by the other", async () => {
    const token = await s.userWith({ username: 'dis', roles: [] });
    await warm(token);
    const userId = (await callOn(second, token, 'GET', ME)).body.data.user.id as string;
    const res = await callOn(s.app, s.adminToken, 'PATCH', `/api/v1/security/users/${userId}`, {
      disabled: true,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await refusedBySecond(token, 'disabled membership', 403);
  });

  it('a revocation rolled back announces nothing', async () => {
    await s.userWith({ username: 'keep', roles: [] });
    const token = await s.signInAs('keep');
    await warm(token);
    await assert.rejects(
      s.db.transaction(async (tx) => {
        assert.equal(await revokeFamily(tx, sidOf(token)), 1);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    const heard: string[] = [];
    const stop = await s.db.listen(ACCESS_CHANNEL, (payload) => heard.push(payload));
    try {
      // A committed announcement after it: once that arrives, the rolled-back one would have too.
      await s.db.run(sql`SELECT pg_notify(${ACCESS_CHANNEL}, 'session:marker')`);
      const until = Date.now() + 5000;
      while (!heard.includes('session:marker') && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 20));
      // Other test files sign out in the same database meanwhile: only this session counts.
      assert.ok(heard.includes('session:marker'));
      assert.equal(heard.includes(`session:${sidOf(token)}`), false);
    } finally {
      await stop();
    }
    assert.equal((await callOn(second, token, 'GET', ME)).status, 200);
    assert.equal((await callOn(s.app, token, 'GET', ME)).status, 200);
  });

  it('reads only well-formed announcements', () => {
    assert.deepEqual(parseAccessChange('session:0190a0b0-0000-7000-8000-000000000000'), {
      kind: 'session',
      id: '0190a0b0-0000-7000-8000-000000000000',
    });
    assert.deepEqual(parseAccessChange('api_token:x:y'), { kind: 'api_token', id: 'x:y' });
    for (const bad of ['', 'session', 'session:', ':id', 'role:admin', 'users:1'])
      assert.equal(parseAccessChange(bad), null, bad);
  });
});
