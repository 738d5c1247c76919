export * from './app.ts';
export type { ServerDeps } from './context.ts';
export { buildOpenApi } from './openapi.ts';
