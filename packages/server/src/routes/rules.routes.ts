/**
 * Rules and notifications: POST /api/v1/rules/dry-run (evaluates a rule against a sample event, writes
 * nothing), GET /api/v1/rules/runs (the rule run log), GET /api/v1/notifications (the signed-in user's,
 * newest first) and POST /api/v1/notifications/:id/read.
 */
import { dryRunRule, listNotifications, listRuleRuns, readNotification } from '@tenon/kernel';
import type { FastifyInstance } from 'fastify';
import { authOf, localeOf, requirePlatform, type ServerDeps, tenantOf } from '../context.ts';
import { send } from '../envelope.ts';

const intIn = (value: string | undefined, fallback: number, max: number) => {
  const n = value !== undefined && /^\d{1,6}$/.test(value) ? Number(value) : fallback;
  return Math.min(Math.max(n, 1), max);
};

export function rulesRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.post('/api/v1/rules/dry-run', async (request, reply) => {
    requirePlatform(request, '$meta', 'read');
    const tenant = tenantOf(request);
    const body = (request.body ?? {}) as { rule?: unknown; event?: unknown };
    const result = await dryRunRule(
      deps.db,
      { rule: body.rule, event: body.event },
      {
        metamodel: await deps.metamodels.forTenant(tenant),
        defs: await deps.kernel.definitions.forTenant(tenant),
        locale: localeOf(request),
        clock: deps.clock,
      },
    );
    return send(reply, result);
  });

  app.get<{ Querystring: { rule?: string; eventId?: string; pageSize?: string } }>(
    '/api/v1/rules/runs',
    async (request, reply) => {
      requirePlatform(request, '$meta', 'read');
      const pageSize = intIn(request.query.pageSize, 100, 500);
      const items = await listRuleRuns(deps.db, tenantOf(request).schemaName, {
        ...(request.query.rule ? { rule: request.query.rule } : {}),
        ...(request.query.eventId ? { eventId: request.query.eventId } : {}),
        limit: pageSize,
      });
      return send(reply, { items, total: items.length, page: 1, pageSize });
    },
  );

  app.get<{ Querystring: { unread?: string; page?: string; pageSize?: string } }>(
    '/api/v1/notifications',
    async (request, reply) => {
      const auth = authOf(request);
      const page = intIn(request.query.page, 1, 100_000);
      const pageSize = intIn(request.query.pageSize, 20, 200);
      const { items, total } = await listNotifications(deps.db, auth.tenant.schemaName, {
        userId: auth.principal.userId,
        roles: auth.principal.roles,
        unreadOnly: request.query.unread === 'true' || request.query.unread === '1',
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      return send(reply, { items, total, page, pageSize });
    },
  );

  app.post<{ Params: { id: string } }>('/api/v1/notifications/:id/read', async (request, reply) => {
    const auth = authOf(request);
    const found = await readNotification(deps.db, {
      schema: auth.tenant.schemaName,
      id: request.params.id,
      userId: auth.principal.userId,
      roles: auth.principal.roles,
      clock: deps.clock,
    });
    return send(reply, found);
  });
}
