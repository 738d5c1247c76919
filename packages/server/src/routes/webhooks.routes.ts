/**
 * Webhooks of the signed-in tenant (platform permission `$webhook`): CRUD, the deliveries of one
 * webhook (newest first, `?status=pending|delivered|dead`), and redelivery of a dead one. The secret is
 * shown once, in the answer to the create.
 */
import { AppError, CoreErrors } from '@tenon/core';
import {
  createWebhook,
  deleteWebhook,
  EventErrors,
  findWebhook,
  listDeliveries,
  listWebhooks,
  redeliverWebhook,
  updateWebhook,
} from '@tenon/kernel';
import type { FastifyInstance } from 'fastify';
import { authOf, requirePlatform, type ServerDeps, tenantOf } from '../context.ts';
import { send } from '../envelope.ts';

type IdParams = { id: string };
const STATUSES = ['pending', 'delivered', 'dead'];

const intIn = (value: string | undefined, fallback: number, max: number) => {
  const n = value !== undefined && /^\d{1,6}$/.test(value) ? Number(value) : fallback;
  return Math.min(Math.max(n, 1), max);
};

export function webhookRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get('/api/v1/webhooks', async (request, reply) => {
    requirePlatform(request, '$webhook', 'read');
    const items = await listWebhooks(deps.db, tenantOf(request).schemaName);
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });

  app.post('/api/v1/webhooks', async (request, reply) => {
    const auth = requirePlatform(request, '$webhook', 'create');
    const webhook = await createWebhook(deps.db, {
      schema: auth.tenant.schemaName,
      body: request.body,
      user: auth.principal.username,
    });
    return send(reply, webhook, 201);
  });

  app.get<{ Params: IdParams }>('/api/v1/webhooks/:id', async (request, reply) => {
    requirePlatform(request, '$webhook', 'read');
    const webhook = await findWebhook(deps.db, tenantOf(request).schemaName, request.params.id);
    if (!webhook) throw new AppError(EventErrors.KERNEL_WEBHOOK_NOT_FOUND, { id: request.params.id });
    return send(reply, webhook);
  });

  app.patch<{ Params: IdParams }>('/api/v1/webhooks/:id', async (request, reply) => {
    const auth = requirePlatform(request, '$webhook', 'update');
    const webhook = await updateWebhook(deps.db, {
      schema: auth.tenant.schemaName,
      id: request.params.id,
      body: request.body,
      user: authOf(request).principal.username,
    });
    return send(reply, webhook);
  });

  app.delete<{ Params: IdParams }>('/api/v1/webhooks/:id', async (request, reply) => {
    requirePlatform(request, '$webhook', 'delete');
    await deleteWebhook(deps.db, { schema: tenantOf(request).schemaName, id: request.params.id });
    return send(reply, { id: request.params.id, deleted: true });
  });

  app.get<{ Params: IdParams; Querystring: { status?: string; page?: string; pageSize?: string } }>(
    '/api/v1/webhooks/:id/deliveries',
    async (request, reply) => {
      requirePlatform(request, '$webhook', 'read');
      const schema = tenantOf(request).schemaName;
      const { status } = request.query;
      if (status !== undefined && !STATUSES.includes(status)) {
        throw new AppError(CoreErrors.BAD_REQUEST, {
          reason: `status must be one of ${STATUSES.join(', ')}`,
        });
      }
      if (!(await findWebhook(deps.db, schema, request.params.id))) {
        throw new AppError(EventErrors.KERNEL_WEBHOOK_NOT_FOUND, { id: request.params.id });
      }
      const page = intIn(request.query.page, 1, 100_000);
      const pageSize = intIn(request.query.pageSize, 50, 500);
      const { items, total } = await listDeliveries(deps.db, schema, {
        webhookId: request.params.id,
        status,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      return send(reply, { items, total, page, pageSize });
    },
  );

  app.post<{ Params: IdParams & { deliveryId: string } }>(
    '/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    async (request, reply) => {
      requirePlatform(request, '$webhook', 'update');
      const delivery = await redeliverWebhook(deps.db, {
        schema: tenantOf(request).schemaName,
        webhookId: request.params.id,
        deliveryId: request.params.deliveryId,
      });
      return send(reply, delivery);
    },
  );
}
