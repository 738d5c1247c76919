/** The meta API: read and change entity definitions; `?dryRun=true` returns the DDL plan only. */
import { AppError } from '@tenon/core';
import { applyDefinitions, definitionHistory, MetaErrors, resolveEntity } from '@tenon/design';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authOf, requirePlatform, type ServerDeps, tenantOf } from '../context.ts';
import { send } from '../envelope.ts';

type Flags = { dryRun?: string; confirm?: string };

const flag = (v: string | undefined) => v === 'true' || v === '1';

export function metaRoutes(app: FastifyInstance, deps: ServerDeps): void {
  /** Reading definitions needs `$meta` read; changing them `$meta` update. */
  const metamodelOf = (request: FastifyRequest, action: 'read' | 'update') => {
    requirePlatform(request, '$meta', action);
    return deps.metamodels.forTenant(tenantOf(request));
  };

  app.get('/api/v1/meta/entities', async (request, reply) => {
    const metamodel = await metamodelOf(request, 'read');
    const items = metamodel.definitions().map((d) => ({ ...d.def, version: d.version, source: d.source }));
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });

  app.get<{ Params: { name: string }; Querystring: { resolved?: string } }>(
    '/api/v1/meta/entities/:name',
    async (request, reply) => {
      const metamodel = await metamodelOf(request, 'read');
      const stored = metamodel.definitions().find((d) => d.def.name === request.params.name);
      if (!stored) throw new AppError(MetaErrors.META_ENTITY_NOT_FOUND, { entity: request.params.name });
      const lookup = (n: string) => metamodel.definitions().find((d) => d.def.name === n)?.def;
      const def = flag(request.query.resolved) ? resolveEntity(stored.def, lookup) : stored.def;
      return send(reply.header('etag', `"${stored.version}"`), {
        ...def,
        version: stored.version,
        source: stored.source,
        updatedAt: stored.updatedAt,
        updatedBy: stored.updatedBy,
      });
    },
  );

  app.get<{ Params: { name: string } }>('/api/v1/meta/entities/:name/history', async (request, reply) => {
    requirePlatform(request, '$meta', 'read');
    const tenant = tenantOf(request);
    const metamodel = await deps.metamodels.forTenant(tenant);
    if (!metamodel.definitions().some((d) => d.def.name === request.params.name)) {
      throw new AppError(MetaErrors.META_ENTITY_NOT_FOUND, { entity: request.params.name });
    }
    const items = await definitionHistory(deps.db, tenant.schemaName, request.params.name);
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });

  app.post<{ Querystring: Flags }>('/api/v1/meta/entities', async (request, reply) => {
    const metamodel = await metamodelOf(request, 'update');
    const body = request.body;
    const inputs = Array.isArray(body) ? body : [body];
    const result = await applyDefinitions(deps.db, metamodel, inputs, {
      mode: 'create',
      user: authOf(request).principal.username,
      dryRun: flag(request.query.dryRun),
      confirm: flag(request.query.confirm),
    });
    if (result.applied) deps.metamodels.invalidate(metamodel.tenant.name);
    return send(reply, result, result.applied ? 201 : 200);
  });

  app.patch<{ Params: { name: string }; Querystring: Flags }>(
    '/api/v1/meta/entities/:name',
    async (request, reply) => {
      const metamodel = await metamodelOf(request, 'update');
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new AppError(MetaErrors.META_DEFINITION_INVALID, { entity: request.params.name }, [
          { field: '', code: 'invalid', message: 'the body must be a JSON object' },
        ]);
      }
      const result = await applyDefinitions(deps.db, metamodel, [{ ...body, name: request.params.name }], {
        mode: 'update',
        user: authOf(request).principal.username,
        dryRun: flag(request.query.dryRun),
        confirm: flag(request.query.confirm),
      });
      if (result.applied) deps.metamodels.invalidate(metamodel.tenant.name);
      return send(reply, result);
    },
  );
}
