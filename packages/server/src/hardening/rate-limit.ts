/**
 * Rate limits, counted by @fastify/rate-limit in memory or in Redis (shared by every instance):
 * - sign-in and token refresh: `rateLimitAuth` per IP, and sign-in also per username;
 * - the rest of /api: `rateLimitApi` per signed-in user, checked after authentication;
 * - anonymous /api calls (the docs page, failed authentication): the same number per IP, counted
 *   when they are answered and checked before authentication, so bad tokens cannot be tried freely.
 * A refused request is a 429 `RATE_LIMITED` envelope with `retry-after`, and is never processed.
 */
import { createHash } from 'node:crypto';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import { AppError } from '@tenon/core';
import { IdentityErrors } from '@tenon/identity';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { ResolvedHardening } from './config.ts';

const LOGIN = '/api/v1/auth/login';
const REFRESH = '/api/v1/auth/refresh';

type Check = (request: FastifyRequest, options?: { increment?: boolean }) => Promise<Verdict>;
type Verdict =
  | { isAllowed: true; key: string }
  | {
      isAllowed: false;
      max: number;
      remaining: number;
      ttlInSeconds: number;
      isExceeded: boolean;
    };

const hash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);
const ipOf = (request: FastifyRequest) => normalizeIP(request.ip);
const pathOf = (request: FastifyRequest) => request.routeOptions.url ?? request.url.split('?')[0]!;

/** One limiter: its own plugin instance (own counters and Redis namespace) in its own scope. */
async function limiter(
  app: FastifyInstance,
  config: ResolvedHardening,
  options: { name: string; max: number; key: (request: FastifyRequest) => string; redis: Redis | null },
): Promise<Check> {
  let check: Check | undefined;
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      global: false,
      max: options.max,
      timeWindow: config.rateLimitWindowMs,
      keyGenerator: options.key,
      cache: 10_000,
      // Redis down: serve rather than refuse everyone (the error is logged by the client below).
      skipOnError: true,
      ...(options.redis ? { redis: options.redis, nameSpace: `${config.redisPrefix}${options.name}:` } : {}),
    });
    check = scope.createRateLimit() as Check;
  });
  return check!;
}

/** Sets the `x-ratelimit-*` headers (of the tightest limit); over the limit, `retry-after` and a 429. */
function enforce(reply: FastifyReply, verdict: Verdict): void {
  if (verdict.isAllowed) return;
  const shown = reply.getHeader('x-ratelimit-remaining');
  if (shown !== undefined && Number(shown) < verdict.remaining) return;
  reply.header('x-ratelimit-limit', verdict.max);
  reply.header('x-ratelimit-remaining', verdict.remaining);
  reply.header('x-ratelimit-reset', verdict.ttlInSeconds);
  if (verdict.isExceeded) {
    reply.header('retry-after', Math.max(1, verdict.ttlInSeconds));
    throw new AppError(IdentityErrors.RATE_LIMITED);
  }
}

function connectRedis(app: FastifyInstance, url: string): Redis {
  const redis = new Redis(url, { connectTimeout: 1000, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  let reported = false;
  redis.on('error', (err) => {
    if (!reported)
      app.log.warn({ err }, 'rate limits: Redis unreachable; requests are not limited meanwhile');
    reported = true;
  });
  redis.on('ready', () => {
    reported = false;
  });
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  return redis;
}

export async function installRateLimits(app: FastifyInstance, config: ResolvedHardening): Promise<void> {
  const { rateLimitApi: api, rateLimitAuth: auth } = config;
  if (api === 0 && auth === 0) return;
  const redis = config.redisUrl ? connectRedis(app, config.redisUrl) : null;

  if (auth > 0) {
    const byIp = await limiter(app, config, { name: 'auth-ip', max: auth, key: ipOf, redis });
    const byUser = await limiter(app, config, {
      name: 'login-user',
      max: auth,
      key: (request) => hash(String((request.body as { username?: unknown }).username).toLowerCase()),
      redis,
    });
    app.addHook('onRequest', async (request, reply) => {
      const path = pathOf(request);
      if (path === LOGIN || path === REFRESH) enforce(reply, await byIp(request));
    });
    // After the body schema: only a well-formed sign-in counts against its username.
    app.addHook('preHandler', async (request, reply) => {
      if (pathOf(request) === LOGIN && typeof (request.body as { username?: unknown })?.username === 'string')
        enforce(reply, await byUser(request));
    });
  }

  if (api > 0) {
    const anonymous = await limiter(app, config, { name: 'api-ip', max: api, key: ipOf, redis });
    const byUser = await limiter(app, config, {
      name: 'api-user',
      max: api,
      key: (request) => request.auth!.principal.userId,
      redis,
    });
    const limited = (request: FastifyRequest) => {
      const path = pathOf(request);
      return path.startsWith('/api/') && path !== LOGIN && path !== REFRESH && request.method !== 'OPTIONS';
    };
    // Before authentication: an address that sent too many anonymous or failed calls is refused.
    app.addHook('onRequest', async (request, reply) => {
      if (!limited(request)) return;
      // A peek counts nothing: the budget is spent when `max` calls have been counted.
      const verdict = await anonymous(request, { increment: false });
      if (!verdict.isAllowed && verdict.remaining === 0) enforce(reply, { ...verdict, isExceeded: true });
    });
    // After authentication (onRequest), before the body is read: the user's own budget.
    app.addHook('preParsing', async (request, reply) => {
      if (request.auth && limited(request)) enforce(reply, await byUser(request));
    });
    // Counted as the answer goes out (401, the docs page...), before the client can send the next one.
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.auth || !limited(request) || reply.statusCode === 429) return payload;
      await anonymous(request).catch((err) => request.log.warn({ err }, 'rate limit not counted'));
      return payload;
    });
  }
}
