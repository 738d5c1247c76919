/** The audit trail: a record's history (for whoever may read the record) and a user's activity. */
import { AppError, CoreErrors } from '@tenon/core';
import { getRecord, readAudit } from '@tenon/design';
import type { FastifyInstance } from 'fastify';
import { authOf, recordContext, requirePlatform, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';

export function auditRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Params: { entity: string; id: string } }>(
    '/api/v1/:entity/:id/history',
    async (request, reply) => {
      const ctx = await recordContext(deps, request);
      const entity = ctx.metamodel.get(request.params.entity);
      const visible = await getRecord(deps.db, ctx.metamodel, entity, request.params.id, {
        access: ctx.access,
        fields: ['id'],
      });
      if (!visible)
        throw new AppError(CoreErrors.RECORD_NOT_FOUND, { entity: entity.def.name, id: request.params.id });
      const items = await readAudit(deps.db, entity.tenant.schemaName, {
        entity: entity.def.name,
        recordId: request.params.id,
      });
      return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
    },
  );

  /** A user's activity log: one's own, or anyone's with `$audit` read. */
  app.get<{ Params: { userId: string } }>('/api/v1/audit/users/:userId', async (request, reply) => {
    const auth = authOf(request);
    if (request.params.userId !== auth.principal.userId) requirePlatform(request, '$audit', 'read');
    const items = await readAudit(deps.db, auth.tenant.schemaName, { userId: request.params.userId });
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });
}
