/**
 * The meta API for design objects other than entities (services, rules, resource types, forms, menus):
 * list, read, history, create, update (If-Match), delete; `?dryRun=true` validates only.
 */
import { AppError, labelText } from '@tenon/core';
import { deleteObject, loadObjects, MetaErrors, objectHistory, saveObject } from '@tenon/design';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authOf, localeOf, requirePlatform, type ServerDeps, tenantOf } from '../context.ts';
import { send } from '../envelope.ts';
import { expectedVersion } from './records.routes.ts';

type KindParams = { kind: string };
type NameParams = { kind: string; name: string };

const flag = (v: string | undefined) => v === 'true' || v === '1';

export function metaObjectRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const kindOf = (kind: string) => {
    const found = deps.objectKinds.find(kind);
    if (!found) throw new AppError(MetaErrors.META_OBJECT_KIND_UNKNOWN, { kind });
    return found;
  };

  app.get('/api/v1/meta/kinds', async (request, reply) => {
    requirePlatform(request, '$meta', 'read');
    const locale = localeOf(request);
    const items = deps.objectKinds
      .list()
      .map((k) => ({ kind: k.kind, label: k.label, title: labelText(k.label, locale, k.kind) }));
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });

  app.get<{ Params: KindParams }>('/api/v1/meta/objects/:kind', async (request, reply) => {
    requirePlatform(request, '$meta', 'read');
    kindOf(request.params.kind);
    const items = await loadObjects(deps.db, tenantOf(request).schemaName, request.params.kind);
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });

  app.get<{ Params: NameParams }>('/api/v1/meta/objects/:kind/:name', async (request, reply) => {
    requirePlatform(request, '$meta', 'read');
    kindOf(request.params.kind);
    const objects = await loadObjects(deps.db, tenantOf(request).schemaName, request.params.kind);
    const found = objects.find((o) => o.name === request.params.name);
    if (!found) throw new AppError(MetaErrors.META_OBJECT_NOT_FOUND, request.params);
    return send(reply.header('etag', `"${found.version}"`), found);
  });

  app.get<{ Params: NameParams }>('/api/v1/meta/objects/:kind/:name/history', async (request, reply) => {
    requirePlatform(request, '$meta', 'read');
    kindOf(request.params.kind);
    const items = await objectHistory(deps.db, tenantOf(request).schemaName, request.params);
    if (items.length === 0) throw new AppError(MetaErrors.META_OBJECT_NOT_FOUND, request.params);
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });

  const save = async (
    request: FastifyRequest<{ Params: KindParams & { name?: string }; Querystring: { dryRun?: string } }>,
    mode: 'create' | 'update',
  ) => {
    requirePlatform(request, '$meta', 'update');
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AppError(
        MetaErrors.META_OBJECT_INVALID,
        { kind: request.params.kind, name: request.params.name ?? '' },
        [{ field: '', code: 'invalid', message: 'the body must be a JSON object' }],
      );
    }
    const definition = request.params.name ? { ...body, name: request.params.name } : body;
    return saveObject(deps.db, {
      kinds: deps.objectKinds,
      metamodel: await deps.metamodels.forTenant(tenantOf(request)),
      kind: request.params.kind,
      definition,
      mode,
      expectedVersion: expectedVersion(request),
      dryRun: flag(request.query.dryRun),
      user: authOf(request).principal.username,
      locale: localeOf(request),
    });
  };

  app.post<{ Params: KindParams; Querystring: { dryRun?: string } }>(
    '/api/v1/meta/objects/:kind',
    async (request, reply) => {
      const result = await save(request, 'create');
      const status = flag(request.query.dryRun) ? 200 : 201;
      return send(reply.header('etag', `"${result.object.version}"`), result.object, status);
    },
  );

  app.put<{ Params: NameParams; Querystring: { dryRun?: string } }>(
    '/api/v1/meta/objects/:kind/:name',
    async (request, reply) => {
      const result = await save(request, 'update');
      return send(reply.header('etag', `"${result.object.version}"`), result.object);
    },
  );

  app.delete<{ Params: NameParams }>('/api/v1/meta/objects/:kind/:name', async (request, reply) => {
    requirePlatform(request, '$meta', 'update');
    await deleteObject(deps.db, {
      kinds: deps.objectKinds,
      metamodel: await deps.metamodels.forTenant(tenantOf(request)),
      kind: request.params.kind,
      name: request.params.name,
      expectedVersion: expectedVersion(request),
      user: authOf(request).principal.username,
    });
    return send(reply, { kind: request.params.kind, name: request.params.name, deleted: true });
  });
}
