/** Configuration from the environment; `npm start` honours the same variables. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { HardeningConfig } from '@tenon/server';

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  defaultTenant: string;
  timeZone: string;
  currency: string;
  adminUser: string;
  adminPassword: string | undefined;
  /** Signs access tokens; without it a key is generated once and kept in the database. */
  jwtSecret: string | undefined;
  /** TENON_ENCRYPTION_KEY: 32 bytes (base64 or hex) sealing encrypted fields; without it they are refused. */
  encryptionKey: string | undefined;
  /** Rate limits, CORS, HSTS, body sizes, proxy trust (see loadHardening). */
  hardening: HardeningConfig;
  /** TENON_WORKERS: server processes sharing the port (PostgreSQL only; `auto` = one per core). */
  workers: number;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.TENON_DATA_DIR ?? './data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    defaultTenant: env.TENON_TENANT ?? 'demo',
    timeZone: env.TENON_TIMEZONE ?? 'Asia/Shanghai',
    currency: env.TENON_CURRENCY ?? 'CNY',
    adminUser: env.TENON_ADMIN_USER ?? 'admin',
    adminPassword: env.TENON_ADMIN_PASSWORD || undefined,
    jwtSecret: env.TENON_JWT_SECRET || undefined,
    encryptionKey: env.TENON_ENCRYPTION_KEY || undefined,
    hardening: loadHardening(env),
    workers: workersOf(env),
  };
}

/** `TENON_WORKERS`: 1 by default; `auto` is one per core; more than one needs a PostgreSQL server. */
function workersOf(env: NodeJS.ProcessEnv): number {
  const raw = (env.TENON_WORKERS ?? '').trim();
  if (raw === '') return 1;
  const n = raw === 'auto' ? availableParallelism() : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new Error(`TENON_WORKERS must be a number of processes from 1 to 64, or auto, not ${raw}`);
  if (n > 1 && !env.DATABASE_URL)
    throw new Error('TENON_WORKERS above 1 needs DATABASE_URL: the embedded database belongs to one process');
  return n;
}

/** `TENON_RATE_LIMIT_*`, `REDIS_URL`, `TENON_CORS_ORIGINS`, `TENON_HSTS`, `TENON_*_LIMIT_MB`, `TENON_TRUST_PROXY`. */
export function loadHardening(env: NodeJS.ProcessEnv): HardeningConfig {
  const perMinute = (name: string) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`${name} must be requests per minute (0 = off), not ${raw}`);
    return n;
  };
  const megabytes = (name: string) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a size in MB, not ${raw}`);
    return Math.floor(n * 1024 * 1024);
  };
  const flag = (name: string) => {
    const raw = (env[name] ?? '').toLowerCase();
    if (raw === '' || raw === 'false' || raw === '0') return false;
    if (raw === 'true' || raw === '1') return true;
    throw new Error(`${name} must be true or false, not ${env[name]}`);
  };
  const trust = env.TENON_TRUST_PROXY ?? '';
  return {
    rateLimitApi: perMinute('TENON_RATE_LIMIT_API'),
    rateLimitAuth: perMinute('TENON_RATE_LIMIT_AUTH'),
    redisUrl: env.REDIS_URL || undefined,
    corsOrigins: (env.TENON_CORS_ORIGINS ?? '').split(',').filter((o) => o.trim() !== ''),
    hsts: flag('TENON_HSTS'),
    bodyLimit: megabytes('TENON_BODY_LIMIT_MB'),
    fileLimit: megabytes('TENON_FILE_LIMIT_MB'),
    trustProxy: trust === '' || trust === 'false' ? false : trust === 'true' ? true : trust,
  };
}
