/** The HTTP server: Fastify with the envelope, metrics, and the generated API. Knows no module. */
import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import { registerMigrations } from '@tenon/db';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { installAuth } from './auth.ts';
import type { ServerDeps } from './context.ts';
import { frameworkErrors, installErrorHandling } from './envelope.ts';
import { installHardening, resolveHardening } from './hardening/index.ts';
import { consoleUserMigrations } from './me/me.migrations.ts';
import { installMetrics } from './metrics.ts';
import { aggregateRoutes } from './routes/aggregate.routes.ts';
import { auditRoutes } from './routes/audit.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { bulkRoutes } from './routes/bulk.routes.ts';
import { consoleRoutes } from './routes/console.routes.ts';
import { docsRoutes } from './routes/docs.routes.ts';
import { fileRoutes } from './routes/files.routes.ts';
import { formLayoutRoutes } from './routes/form-layouts.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { listDefaultsRoutes } from './routes/list-defaults.routes.ts';
import { liveRoutes } from './routes/live.routes.ts';
import { mePreferenceRoutes } from './routes/me-preferences.routes.ts';
import { meViewRoutes } from './routes/me-views.routes.ts';
import { menuRoutes } from './routes/menus.routes.ts';
import { metaRoutes } from './routes/meta.routes.ts';
import { metaObjectRoutes } from './routes/meta-objects.routes.ts';
import { navigationRoutes } from './routes/navigation.routes.ts';
import { processRoutes } from './routes/processes.routes.ts';
import { recordActionRoutes } from './routes/record-actions.routes.ts';
import { recordRoutes } from './routes/records.routes.ts';
import { rulesRoutes } from './routes/rules.routes.ts';
import { scheduleRoutes } from './routes/schedule.routes.ts';
import { securityRoutes } from './routes/security.routes.ts';
import { taskDetailRoutes } from './routes/task-detail.routes.ts';
import { taskRoutes } from './routes/tasks.routes.ts';
import { transferRoutes } from './routes/transfer.routes.ts';
import { webhookRoutes } from './routes/webhooks.routes.ts';

/**
 * A module's own endpoints (queries and commands beyond the generated record API), handed to the app
 * by the composition root: the server itself knows no module. Use the helpers of `@tenon/server`
 * (`requirePlatform`, `recordContext`, `send`) so auth, errors and the envelope stay the same.
 */
export type ModuleRoutes = (app: FastifyInstance, deps: ServerDeps) => void | Promise<void>;

/** An installed module as the console shows it: its entities are grouped under its label. */
export type ModuleInfo = { name: string; label?: { 'zh-CN': string; en: string } };

export type AppOptions = {
  logLevel?: string;
  routes?: readonly ModuleRoutes[];
  /** The installed modules, in menu order. */
  modules?: readonly ModuleInfo[];
};

// The console's per-user tables (saved views, preferences) exist in every tenant wherever the server runs.
registerMigrations(consoleUserMigrations);

const TRACE = /^[A-Za-z0-9._:-]{1,100}$/;
const QUIET_ROUTES = new Set(['/health', '/ready', '/metrics']);

export async function buildApp(deps: ServerDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const hardening = resolveHardening(deps.hardening);
  const app = Fastify({
    logger: { level: options.logLevel ?? 'info' },
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && TRACE.test(incoming) ? incoming : randomUUID();
    },
    logController: new LogController({
      requestIdLogLabel: 'traceId',
      disableRequestLogging: (request) => QUIET_ROUTES.has(request.url),
    }),
    bodyLimit: hardening.bodyLimit,
    trustProxy: hardening.trustProxy,
    frameworkErrors,
    // Fastify's default silently strips properties a schema does not allow; refuse them instead.
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-trace-id', request.id);
  });
  installErrorHandling(app);
  installMetrics(app, deps.db);
  await app.register(multipart, { limits: { fileSize: hardening.fileLimit } });
  // Headers, CORS and rate limits: before authentication, so that a 401 carries them too.
  await installHardening(app, hardening);
  installAuth(app, deps);
  healthRoutes(app, deps);
  await docsRoutes(app, deps);
  authRoutes(app, deps);
  securityRoutes(app, deps);
  metaRoutes(app, deps);
  metaObjectRoutes(app, deps);
  navigationRoutes(app, deps, options.modules ?? []);
  fileRoutes(app, deps);
  auditRoutes(app, deps);
  transferRoutes(app, deps);
  webhookRoutes(app, deps);
  rulesRoutes(app, deps);
  processRoutes(app, deps);
  scheduleRoutes(app, deps);
  taskRoutes(app, deps);
  taskDetailRoutes(app, deps);
  formLayoutRoutes(app, deps);
  listDefaultsRoutes(app, deps);
  menuRoutes(app, deps);
  liveRoutes(app, deps);
  meViewRoutes(app, deps);
  mePreferenceRoutes(app, deps);
  aggregateRoutes(app, deps);
  bulkRoutes(app, deps);
  recordActionRoutes(app, deps);
  for (const routes of options.routes ?? []) await routes(app, deps);
  recordRoutes(app, deps);
  await consoleRoutes(app);
  return app;
}
