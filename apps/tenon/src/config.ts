/** Configuration from the environment; `npm start` honours the same variables. */
import { resolve } from 'node:path';

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
  };
}
