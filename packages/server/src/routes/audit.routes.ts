/** The audit trail: a record's history (for whoever may read the record) and a user's activity. */
import { AppError, CoreErrors, isUuid } from '@tenon/core';
import { PLATFORM_SCHEMA, sql } from '@tenon/db';
import {
  type AccessPolicy,
  type AuditRecord,
  getRecord,
  type RecordData,
  readAudit,
  type TenantMetamodel,
  visibleRecord,
} from '@tenon/design';
import type { FastifyInstance } from 'fastify';
import { authOf, recordContext, requirePlatform, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';

/** Entries as the caller may see them: fields their roles hide are left out of before/after too. */
function visibleEntries(
  access: AccessPolicy,
  metamodel: TenantMetamodel,
  items: AuditRecord[],
): AuditRecord[] {
  return items.map((item) => {
    const entity = item.entity ? metamodel.find(item.entity) : undefined;
    if (!entity || !item.changes) return item;
    const strip = (r: RecordData | null | undefined) => (r ? visibleRecord(access, metamodel, entity, r) : r);
    const changes: AuditRecord['changes'] = {};
    if ('before' in item.changes) changes.before = strip(item.changes.before);
    if ('after' in item.changes) changes.after = strip(item.changes.after);
    return { ...item, changes };
  });
}

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
      const entries = await readAudit(deps.db, entity.tenant.schemaName, {
        entity: entity.def.name,
        recordId: request.params.id,
      });
      const items = visibleEntries(ctx.access, ctx.metamodel, entries);
      return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
    },
  );

  /** A user's activity log: one's own, or anyone's with `$audit` read. */
  app.get<{ Params: { userId: string } }>('/api/v1/audit/users/:userId', async (request, reply) => {
    const auth = authOf(request);
    if (request.params.userId !== auth.principal.userId) requirePlatform(request, '$audit', 'read');
    const entries = await readAudit(deps.db, auth.tenant.schemaName, { userId: request.params.userId });
    const records = visibleEntries(auth.policy, await deps.metamodels.forTenant(auth.tenant), entries);
    // Sign-ins, sign-outs, failed sign-ins and MFA changes in this tenant, from the platform's log.
    const { rows: signIns } = isUuid(request.params.userId)
      ? await deps.db.run<AuditRecord>(sql`
          SELECT id, at, user_id::text AS "userId", username, event AS action, NULL AS entity, NULL AS "recordId",
            NULL AS changes, ip, user_agent AS "userAgent", trace_id AS "traceId"
          FROM ${sql.id(PLATFORM_SCHEMA, 'auth_event')}
          WHERE user_id = ${request.params.userId} AND (tenant_id = ${auth.tenant.id} OR tenant_id IS NULL)
          ORDER BY at DESC LIMIT 200`)
      : { rows: [] };
    const items = [...records, ...signIns]
      .sort((a, b) => (String(a.at) < String(b.at) ? 1 : String(a.at) > String(b.at) ? -1 : 0))
      .slice(0, 200);
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });
}
