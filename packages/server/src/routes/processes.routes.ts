/**
 * The processes API: create, list (filters, paged), read (with children and history), and the operator's
 * transitions (claim, start, suspend, resume, complete, handover, release, cancel; If-Match optional).
 * Guarded by the `$process` platform resource: read, create, update (own tasks), admin (anyone's).
 */
import { AppError, CoreErrors, isUuid } from '@tenon/core';
import {
  authorizeTransition,
  createProcess,
  getProcess,
  type KernelEnv,
  listChildren,
  listHistory,
  listProcesses,
  type Operator,
  PROCESS_STATES,
  ProcessErrors,
  type ProcessState,
  skillsOf,
  transitionProcess,
} from '@tenon/kernel';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authOf, metaOf, requirePlatform, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';
import { expectedVersion } from './records.routes.ts';

export const OPERATOR_TRANSITIONS = [
  'claim',
  'start',
  'suspend',
  'resume',
  'complete',
  'handover',
  'release',
  'cancel',
] as const;

/** What kernel services need for this request: the tenant's definitions, the clock, who acts. */
export async function kernelEnvOf(deps: ServerDeps, request: FastifyRequest): Promise<KernelEnv> {
  const auth = authOf(request);
  return {
    metamodel: await deps.metamodels.forTenant(auth.tenant),
    definitions: await deps.kernel.definitions.forTenant(auth.tenant),
    clock: deps.clock,
    actor: { userId: auth.principal.userId, username: auth.principal.username, ...metaOf(request) },
  };
}

export function operatorOf(request: FastifyRequest): Operator {
  const { principal, policy } = authOf(request);
  return {
    userId: principal.userId,
    roles: principal.roles,
    skills: skillsOf(principal.attributes),
    isAdmin: policy.decide('$process', 'admin').allowed,
  };
}

const bad = (reason: string) => new AppError(CoreErrors.BAD_REQUEST, { reason });

function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw bad('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(`${key} must be a string`);
  return v;
}

function pageOf(query: Record<string, string | undefined>): { page: number; pageSize: number } {
  const page = query.page === undefined ? 1 : Number(query.page);
  const pageSize = query.pageSize === undefined ? 20 : Number(query.pageSize);
  if (!Number.isInteger(page) || page < 1 || page > 100_000) throw bad('page must be a positive integer');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200) throw bad('pageSize must be 1-200');
  return { page, pageSize };
}

export function processRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const schemaOf = (request: FastifyRequest) => authOf(request).tenant.schemaName;

  app.post('/api/v1/processes', async (request, reply) => {
    requirePlatform(request, '$process', 'create');
    const body = bodyObject(request.body);
    const service = optionalString(body, 'service');
    if (!service) throw bad('service is required');
    const num = body.priority;
    if (num !== undefined && typeof num !== 'number') throw bad('priority must be a number');
    const context = body.context;
    if (
      context !== undefined &&
      (typeof context !== 'object' || context === null || Array.isArray(context))
    ) {
      throw bad('context must be an object');
    }
    const operatorId = optionalString(body, 'operatorId');
    if (operatorId && !operatorOf(request).isAdmin && operatorId !== authOf(request).principal.userId) {
      throw new AppError(ProcessErrors.KERNEL_NOT_YOUR_TASK);
    }
    const env = await kernelEnvOf(deps, request);
    const created = await deps.db.transaction((tx) =>
      createProcess(tx, env, {
        service,
        entity: optionalString(body, 'entity') ?? null,
        recordId: optionalString(body, 'recordId') ?? null,
        parentId: optionalString(body, 'parentId') ?? null,
        predecessorId: optionalString(body, 'predecessorId') ?? null,
        ...(num !== undefined ? { priority: num } : {}),
        dueAt: optionalString(body, 'dueAt') ?? null,
        scheduledStart: optionalString(body, 'scheduledStart') ?? null,
        scheduledEnd: optionalString(body, 'scheduledEnd') ?? null,
        ...(context !== undefined ? { context: context as Record<string, unknown> } : {}),
        operatorId: operatorId ?? null,
      }),
    );
    return send(reply.header('etag', `"${created.version}"`), created, 201);
  });

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/api/v1/processes',
    async (request, reply) => {
      requirePlatform(request, '$process', 'read');
      const q = request.query;
      if (q.state !== undefined && !PROCESS_STATES.includes(q.state as ProcessState)) {
        throw bad(`state must be one of ${PROCESS_STATES.join(', ')}`);
      }
      for (const key of ['recordId', 'parentId'] as const) {
        if (q[key] !== undefined && !isUuid(q[key])) throw bad(`${key} must be a uuid`);
      }
      const { page, pageSize } = pageOf(q);
      const { items, total } = await listProcesses(
        deps.db,
        schemaOf(request),
        {
          ...(q.state ? { state: q.state as ProcessState } : {}),
          ...(q.service ? { service: q.service } : {}),
          ...(q.operator ? { operatorId: q.operator } : {}),
          ...(q.entity ? { entity: q.entity } : {}),
          ...(q.recordId ? { recordId: q.recordId } : {}),
          ...(q.parentId ? { parentId: q.parentId } : {}),
        },
        { limit: pageSize, offset: (page - 1) * pageSize },
      );
      return send(reply, { items, total, page, pageSize });
    },
  );

  app.get<{ Params: { pid: string } }>('/api/v1/processes/:pid', async (request, reply) => {
    requirePlatform(request, '$process', 'read');
    const { pid } = request.params;
    const schema = schemaOf(request);
    const found = isUuid(pid) ? await getProcess(deps.db, schema, pid) : null;
    if (!found) throw new AppError(ProcessErrors.KERNEL_PROCESS_NOT_FOUND, { pid });
    const [children, history] = await Promise.all([
      listChildren(deps.db, schema, pid),
      listHistory(deps.db, schema, pid),
    ]);
    return send(reply.header('etag', `"${found.version}"`), { ...found, children, history });
  });

  app.post<{ Params: { pid: string; transition: string } }>(
    '/api/v1/processes/:pid/:transition',
    async (request, reply) => {
      requirePlatform(request, '$process', 'update');
      const { pid, transition } = request.params;
      if (!(OPERATOR_TRANSITIONS as readonly string[]).includes(transition)) {
        throw new AppError(ProcessErrors.KERNEL_UNKNOWN_TRANSITION, { transition });
      }
      const body = bodyObject(request.body);
      const data = body.data;
      if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
        throw bad('data must be an object');
      }
      if (body.cascade !== undefined && typeof body.cascade !== 'boolean')
        throw bad('cascade must be true or false');
      const requested = optionalString(body, 'operatorId');
      const reason = optionalString(body, 'reason');
      const version = expectedVersion(request);
      const env = await kernelEnvOf(deps, request);
      const operator = operatorOf(request);
      const moved = await deps.db.transaction(async (tx) => {
        const current = isUuid(pid) ? await getProcess(tx, env.definitions.tenant.schemaName, pid) : null;
        if (!current) throw new AppError(ProcessErrors.KERNEL_PROCESS_NOT_FOUND, { pid });
        const operatorId = authorizeTransition(current, transition, operator, requested);
        return transitionProcess(tx, env, {
          pid,
          transition,
          operatorId,
          ...(data !== undefined ? { data: data as Record<string, unknown> } : {}),
          ...(reason !== undefined ? { reason: reason.slice(0, 500) } : {}),
          ...(version !== null ? { expectedVersion: version } : {}),
          ...(body.cascade === true ? { cascade: true } : {}),
        });
      });
      return send(reply.header('etag', `"${moved.version}"`), moved);
    },
  );
}
