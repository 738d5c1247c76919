export * from './app.ts';
export { serveClusterMetrics } from './cluster-metrics.ts';
export {
  authOf,
  localeOf,
  metamodelOf,
  recordContext,
  requirePlatform,
  type ServerDeps,
  tenantOf,
} from './context.ts';
export { send } from './envelope.ts';
export { HARDENING_DEFAULTS, type HardeningConfig } from './hardening/index.ts';
export { buildOpenApi } from './openapi.ts';
export { consoleModule } from './routes/form-layouts.routes.ts';
