/** The generated REST API of every entity: list, get, create, patch, delete and declared actions. */
import { AppError, CoreErrors } from '@tenon/core';
import {
  type CompiledEntity,
  createRecord,
  createRecordIn,
  deleteRecord,
  getRecord,
  listRecords,
  MetaErrors,
  parseListQuery,
  type RecordContext,
  runAction,
  updateRecord,
} from '@tenon/design';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordContext, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';
import { runIdempotent } from '../idempotency.ts';

type EntityParams = { entity: string };
type RecordParams = { entity: string; id: string };
type ActionParams = RecordParams & { action: string };

const etag = (version: unknown) => `"${String(version)}"`;

/** If-Match: `"3"`, `W/"3"` or `3`; absent = no check. */
export function expectedVersion(request: FastifyRequest): number | null {
  const header = request.headers['if-match'];
  if (header === undefined || header === '*') return null;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(String(header).trim());
  // Versions are int4: a larger number is no ETag of ours (and would overflow the query).
  if (!m || Number(m[1]) > 2_147_483_647)
    throw new AppError(CoreErrors.BAD_REQUEST, {
      reason: 'If-Match must be the ETag of the record, e.g. "3"',
    });
  return Number(m[1]);
}

async function resolve(
  deps: ServerDeps,
  request: FastifyRequest,
  name: string,
): Promise<{ ctx: RecordContext; entity: CompiledEntity }> {
  const ctx = await recordContext(deps, request);
  const entity = ctx.metamodel.get(name);
  if (entity.def.childOf) throw new AppError(MetaErrors.META_ENTITY_IS_CHILD, { entity: name });
  return { ctx, entity };
}

function notFound(entity: CompiledEntity, id: string): AppError {
  return new AppError(CoreErrors.RECORD_NOT_FOUND, { entity: entity.def.name, id });
}

export function recordRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Params: EntityParams }>('/api/v1/:entity', async (request, reply) => {
    const { ctx, entity } = await resolve(deps, request, request.params.entity);
    const query = parseListQuery(entity, request.query as Record<string, unknown>);
    return send(reply, await listRecords(deps.db, ctx.metamodel, entity, query, ctx.access));
  });

  app.get<{ Params: RecordParams; Querystring: { fields?: string; expand?: string } }>(
    '/api/v1/:entity/:id',
    async (request, reply) => {
      const { ctx, entity } = await resolve(deps, request, request.params.entity);
      const probe = parseListQuery(entity, { fields: request.query.fields, expand: request.query.expand });
      const record = await getRecord(deps.db, ctx.metamodel, entity, request.params.id, {
        fields: probe.fields,
        expand: probe.expand,
        access: ctx.access,
      });
      if (!record) throw notFound(entity, request.params.id);
      return send(reply.header('etag', etag(record.version)), record);
    },
  );

  app.post<{ Params: EntityParams }>('/api/v1/:entity', async (request, reply) => {
    const { ctx, entity } = await resolve(deps, request, request.params.entity);
    if (!request.headers['idempotency-key']) {
      // No key to claim: the create may run as one autocommit statement (decision 0050).
      const record = await createRecord(ctx, entity, request.body);
      return send(reply.header('etag', etag(record.version)), record, 201);
    }
    const outcome = await runIdempotent(
      deps.db,
      entity.tenant.schemaName,
      request,
      async (tx) => {
        const record = await createRecordIn(tx, ctx, entity, request.body);
        return { status: 201, data: record, headers: { etag: etag(record.version) } };
      },
      ctx.metamodel.cipher,
    );
    return reply_(reply, outcome);
  });

  app.patch<{ Params: RecordParams }>('/api/v1/:entity/:id', async (request, reply) => {
    const { ctx, entity } = await resolve(deps, request, request.params.entity);
    const record = await updateRecord(ctx, entity, {
      id: request.params.id,
      patch: request.body ?? {},
      expectedVersion: expectedVersion(request),
    });
    return send(reply.header('etag', etag(record.version)), record);
  });

  app.delete<{ Params: RecordParams }>('/api/v1/:entity/:id', async (request, reply) => {
    const { ctx, entity } = await resolve(deps, request, request.params.entity);
    await deleteRecord(ctx, entity, { id: request.params.id, expectedVersion: expectedVersion(request) });
    return send(reply, { id: request.params.id, deleted: true });
  });

  app.post<{ Params: ActionParams }>('/api/v1/:entity/:id/:action', async (request, reply) => {
    const { ctx, entity } = await resolve(deps, request, request.params.entity);
    const { action, id } = request.params;
    const outcome = await runIdempotent(
      deps.db,
      entity.tenant.schemaName,
      request,
      async (tx) => {
        const record = await runAction(tx, ctx, {
          registry: deps.actions,
          entity,
          id,
          action,
          body: request.body,
        });
        return { status: 200, data: record, headers: { etag: etag(record.version) } };
      },
      ctx.metamodel.cipher,
    );
    return reply_(reply, outcome);
  });
}

function reply_(
  reply: FastifyReply,
  outcome: { status: number; data: unknown; headers?: Record<string, string>; replayed: boolean },
) {
  for (const [k, v] of Object.entries(outcome.headers ?? {})) reply.header(k, v);
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  return send(reply, outcome.data, outcome.status);
}
