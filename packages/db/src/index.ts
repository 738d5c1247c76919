export * from './migrations.ts';
export * from './open.ts';
export { parseInstant } from './parsers.ts';
export { openPglite, type PgliteDatabase } from './pglite.ts';
export { openPostgres } from './postgres.ts';
export { isRetryable, withRetry } from './retry.ts';
export * from './sql.ts';
export * from './tenants.ts';
export type * from './types.ts';
