export * from './app.ts';
export type { ServerDeps } from './context.ts';
export { HARDENING_DEFAULTS, type HardeningConfig } from './hardening/index.ts';
export { buildOpenApi } from './openapi.ts';
