/**
 * Rate limits in memory: sign-in per IP and per username, refresh per IP, the API per user and
 * anonymous calls per IP. Over the limit: a 429 RATE_LIMITED envelope with `retry-after`, the
 * request never processed; other addresses and users are unaffected.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '@tenon/db';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

type Res = { status: number; body: JsonBody; headers: Record<string, unknown> };

/** A JSON request from a given client address. */
async function from(
  s: TestServer,
  ip: string,
  input: { method: 'GET' | 'POST'; url: string; body?: unknown; token?: string | null },
): Promise<Res> {
  const res = await s.app.inject({
    method: input.method,
    url: input.url,
    remoteAddress: ip,
    headers: {
      ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(input.token ? { authorization: `Bearer ${input.token}` } : {}),
    },
    ...(input.body === undefined ? {} : { payload: JSON.stringify(input.body) }),
  });
  return { status: res.statusCode, body: JSON.parse(res.body) as JsonBody, headers: res.headers };
}

function assertLimited(res: Res, limit: number): void {
  assert.equal(res.status, 429, JSON.stringify(res.body));
  assert.equal(res.body.code, 429);
  assert.equal(res.body.error.code, 'RATE_LIMITED');
  assert.equal(res.body.data, null);
  assert.equal(typeof res.body.message, 'string');
  assert.equal(typeof res.body.traceId, 'string');
  const retry = Number(res.headers['retry-after']);
  assert.ok(
    Number.isInteger(retry) && retry >= 1 && retry <= 60,
    `retry-after ${res.headers['retry-after']}`,
  );
  assert.equal(Number(res.headers['x-ratelimit-limit']), limit);
  assert.equal(Number(res.headers['x-ratelimit-remaining']), 0);
}

const AUTH = 3;
const API = 5;

describe('rate limits (in memory)', () => {
  let s: TestServer;
  const signIn = (ip: string, username: string, password = 'wrong-password-x') =>
    from(s, ip, { method: 'POST', url: '/api/v1/auth/login', body: { username, password } });
  const authEvents = async () =>
    Number(
      (
        await s.db.run<{ n: string }>(
          sql`SELECT count(*) AS n FROM tenon.auth_event WHERE username LIKE ${`%@${s.tenant.name}`}`,
        )
      ).rows[0]!.n,
    );

  before(async () => {
    s = await createTestServer({ hardening: { rateLimitAuth: AUTH, rateLimitApi: API } });
    await s.define([
      {
        name: 'note',
        label: { en: 'Note' },
        fields: [{ name: 'title', label: { en: 'Title' }, kind: 'string' }],
      },
    ]);
  });
  after(() => s.close());

  it('sign-in: the limit per IP, then 429 without trying the password; another IP is unaffected', async () => {
    const ip = '10.0.0.1';
    for (let i = 0; i < AUTH; i++) {
      const res = await signIn(ip, `nobody-${i}@${s.tenant.name}`);
      assert.equal(res.status, 401, JSON.stringify(res.body));
      assert.equal(Number(res.headers['x-ratelimit-remaining']), AUTH - i - 1);
    }
    const events = await authEvents();
    assertLimited(await signIn(ip, `nobody-x@${s.tenant.name}`), AUTH);
    assert.equal(await authEvents(), events, 'a refused sign-in is not attempted');
    assert.equal((await signIn('10.0.0.2', `nobody-y@${s.tenant.name}`)).status, 401);
  });

  it('sign-in: the limit per username, whatever the address', async () => {
    const username = `target@${s.tenant.name}`;
    for (let i = 0; i < AUTH; i++) assert.equal((await signIn(`10.1.0.${i}`, username)).status, 401);
    assertLimited(await signIn('10.1.0.99', username), AUTH);
    assertLimited(await signIn('10.1.0.98', username.toUpperCase()), AUTH);
    assert.equal((await signIn('10.1.0.99', `other@${s.tenant.name}`)).status, 401);
  });

  it('refresh: the limit per IP', async () => {
    const refresh = (ip: string) =>
      from(s, ip, { method: 'POST', url: '/api/v1/auth/refresh', body: { refreshToken: 'not-a-token' } });
    for (let i = 0; i < AUTH; i++) assert.equal((await refresh('10.2.0.1')).status, 401);
    assertLimited(await refresh('10.2.0.1'), AUTH);
    assert.equal((await refresh('10.2.0.2')).status, 401);
  });

  it('the API: the limit per user, from any address; another user is unaffected; refused writes write nothing', async () => {
    const token = await s.userWith({ username: 'busy', roles: ['admin'] });
    const other = await s.userWith({ username: 'calm', roles: ['admin'] });
    for (let i = 0; i < API - 1; i++) {
      const res = await from(s, `10.3.0.${i}`, { method: 'GET', url: '/api/v1/note', token });
      assert.equal(res.status, 200);
      assert.equal(Number(res.headers['x-ratelimit-remaining']), API - i - 1);
    }
    const created = await from(s, '10.3.0.9', {
      method: 'POST',
      url: '/api/v1/note',
      body: { title: 'a' },
      token,
    });
    assert.equal(created.status, 201);
    const refused = await from(s, '10.3.0.10', {
      method: 'POST',
      url: '/api/v1/note',
      body: { title: 'b' },
      token,
    });
    assertLimited(refused, API);
    assertLimited(await from(s, '10.3.0.11', { method: 'GET', url: '/api/v1/auth/me', token }), API);
    const list = await from(s, '10.3.0.1', { method: 'GET', url: '/api/v1/note?total=true', token: other });
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.data.items.map((n: JsonBody) => n.title),
      ['a'],
    );
  });

  it('anonymous and failed calls: the limit per IP, checked before the token', async () => {
    const ip = '10.4.0.1';
    for (let i = 0; i < API; i++) {
      const res = await from(s, ip, {
        method: 'GET',
        url: '/api/v1/note',
        token: i % 2 ? `garbage-${i}` : null,
      });
      assert.equal(res.status, 401);
    }
    assertLimited(await from(s, ip, { method: 'GET', url: '/api/v1/note', token: 'tna_guess' }), API);
    assertLimited(await from(s, ip, { method: 'GET', url: '/api/docs' }), API);
    assert.equal((await from(s, '10.4.0.2', { method: 'GET', url: '/api/v1/note' })).status, 401);
  });

  it('paths outside /api are not limited', async () => {
    for (let i = 0; i < API + 2; i++) {
      const res = await s.app.inject({ method: 'GET', url: '/health', remoteAddress: '10.5.0.1' });
      assert.equal(res.statusCode, 200);
    }
  });
});

describe('rate limits: 0 turns them off', () => {
  let s: TestServer;
  before(async () => {
    s = await createTestServer({ hardening: { rateLimitAuth: 0, rateLimitApi: 0 } });
  });
  after(() => s.close());

  it('many calls, no 429 and no rate-limit headers', async () => {
    for (let i = 0; i < 30; i++) {
      const res = await s.call('GET', '/api/v1/auth/me');
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-ratelimit-limit'], undefined);
      const login = await from(s, '10.6.0.1', {
        method: 'POST',
        url: '/api/v1/auth/login',
        body: { username: `nobody@${s.tenant.name}`, password: 'x' },
      });
      assert.equal(login.status, 401);
    }
  });
});
