/**
 * Rate limits in Redis are shared: two app instances on one Redis count one budget; without Redis
 * each instance counts its own. Uses REDIS_URL or 127.0.0.1:6379 with a key prefix unique to the run.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { buildApp } from '../app.ts';
import type { HardeningConfig } from '../hardening/index.ts';
import { createTestServer, type TestServer } from '../testing.ts';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Why the Redis tests cannot run here, or null when Redis answers. */
async function redisUnavailable(): Promise<string | null> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0 });
  let cause: Error | undefined;
  probe.on('error', (err: Error) => {
    cause ??= err;
  });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG' ? null : 'Redis did not answer PING';
  } catch (err) {
    return `Redis unreachable at ${REDIS_URL}: ${(cause ?? (err as Error)).message}`;
  } finally {
    probe.disconnect();
  }
}
const skip = await redisUnavailable();

const AUTH = 4;
const API = 6;

async function call(
  app: FastifyInstance,
  input: { url: string; ip: string; token?: string; body?: unknown },
) {
  const res = await app.inject({
    method: input.body === undefined ? 'GET' : 'POST',
    url: input.url,
    remoteAddress: input.ip,
    headers: {
      ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(input.token ? { authorization: `Bearer ${input.token}` } : {}),
    },
    ...(input.body === undefined ? {} : { payload: JSON.stringify(input.body) }),
  });
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
}

describe('rate limits in Redis: shared by every instance', () => {
  const prefix = `tenon-test:${randomUUID()}:`;
  const hardening: HardeningConfig = {
    rateLimitAuth: AUTH,
    rateLimitApi: API,
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
  };
  let s: TestServer;
  let second: FastifyInstance;
  let redis: Redis;
  /** Instance A, then B, then A... */
  const instance = (i: number) => (i % 2 === 0 ? s.app : second);

  before(async () => {
    if (skip) return;
    redis = new Redis(REDIS_URL);
    s = await createTestServer({ hardening });
    second = await buildApp({ ...s.deps, hardening }, { logLevel: 'warn' });
  });
  // Whatever `before` managed to open is closed, or the open Redis client keeps the file running.
  after(async () => {
    const opened = { redis, second, s } as { redis?: Redis; second?: FastifyInstance; s?: TestServer };
    if (opened.redis) {
      const keys = await opened.redis.keys(`${prefix}*`);
      if (keys.length > 0) await opened.redis.del(...keys);
      opened.redis.disconnect();
    }
    await opened.second?.close();
    await opened.s?.close();
  });

  it('sign-in attempts from one address count across both instances', { skip: skip ?? false }, async () => {
    const login = (app: FastifyInstance) =>
      call(app, {
        url: '/api/v1/auth/login',
        ip: '10.9.0.1',
        body: { username: `nobody-${randomUUID().slice(0, 8)}`, password: 'wrong-password' },
      });
    for (let i = 0; i < AUTH; i++) assert.equal((await login(instance(i))).status, 401);
    for (const app of [s.app, second]) {
      const res = await login(app);
      assert.equal(res.status, 429);
      assert.equal(res.body.error.code, 'RATE_LIMITED');
      assert.ok(Number(res.headers['retry-after']) >= 1);
    }
    assert.ok((await redis.keys(`${prefix}auth-ip:*`)).length > 0, 'the counter lives in Redis');
  });

  it("a user's API calls count across both instances; another user is unaffected", {
    skip: skip ?? false,
  }, async () => {
    const token = await s.userWith({ username: 'shared', roles: ['admin'] });
    for (let i = 0; i < API; i++) {
      const res = await call(instance(i), { url: '/api/v1/auth/me', ip: `10.9.1.${i}`, token });
      assert.equal(res.status, 200);
      assert.equal(Number(res.headers['x-ratelimit-remaining']), API - i - 1);
    }
    for (const app of [s.app, second]) {
      const res = await call(app, { url: '/api/v1/auth/me', ip: '10.9.1.99', token });
      assert.equal(res.status, 429);
      assert.equal(res.body.error.code, 'RATE_LIMITED');
    }
    assert.equal(
      (await call(second, { url: '/api/v1/auth/me', ip: '10.9.1.99', token: s.adminToken })).status,
      200,
    );
  });
});

describe('rate limits in memory: each instance counts its own', () => {
  let s: TestServer;
  let second: FastifyInstance;
  before(async () => {
    s = await createTestServer({ hardening: { rateLimitAuth: AUTH, rateLimitApi: API } });
    second = await buildApp(s.deps, { logLevel: 'warn' });
  });
  after(async () => {
    await second.close();
    await s.close();
  });

  it('the budget of one instance is not spent on the other', async () => {
    for (let i = 0; i < API; i++)
      assert.equal(
        (await call(s.app, { url: '/api/v1/auth/me', ip: '10.9.2.1', token: s.adminToken })).status,
        200,
      );
    assert.equal(
      (await call(s.app, { url: '/api/v1/auth/me', ip: '10.9.2.1', token: s.adminToken })).status,
      429,
    );
    assert.equal(
      (await call(second, { url: '/api/v1/auth/me', ip: '10.9.2.1', token: s.adminToken })).status,
      200,
    );
  });
});

describe('rate limits when Redis is down', () => {
  let s: TestServer;
  before(async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    s = await createTestServer({
      hardening: { rateLimitApi: 2, rateLimitAuth: 2, redisUrl: 'redis://127.0.0.1:1' },
    });
  });
  after(() => s.close());

  it('requests are served, not refused: availability before limits', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await s.call('GET', '/api/v1/auth/me')).status, 200);
  });
});
