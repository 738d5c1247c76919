/**
 * The scheduler API: book a slot (a process with its resource bookings, or 409 naming the clash), a
 * resource's schedule, free slots of a resource type, one dispatch round (admin), and why a process is
 * not dispatched. Guarded by the `$process` platform resource.
 */
import { AppError, CoreErrors } from '@tenon/core';
import { bookSlot, dispatchRound, explainDispatch, findFreeSlots, resourceSchedule } from '@tenon/kernel';
import type { FastifyInstance } from 'fastify';
import { requirePlatform, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';
import { kernelEnvOf } from './processes.routes.ts';

type Query = Record<string, string | undefined>;
const bad = (reason: string) => new AppError(CoreErrors.BAD_REQUEST, { reason });

function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw bad('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function optional<T>(body: Record<string, unknown>, key: string, type: string): T | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== type) throw bad(`${key} must be a ${type}`);
  return v as T;
}

export function scheduleRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.post('/api/v1/schedule/book', async (request, reply) => {
    requirePlatform(request, '$process', 'create');
    const body = bodyObject(request.body);
    const service = optional<string>(body, 'service', 'string');
    const start = optional<string>(body, 'start', 'string');
    if (!service) throw bad('service is required');
    if (!start) throw bad('start is required');
    const context = body.context;
    if (
      context !== undefined &&
      (typeof context !== 'object' || context === null || Array.isArray(context))
    ) {
      throw bad('context must be an object');
    }
    const entity = optional<string>(body, 'entity', 'string');
    const recordId = optional<string>(body, 'recordId', 'string');
    const priority = optional<number>(body, 'priority', 'number');
    const env = await kernelEnvOf(deps, request);
    const booked = await deps.db.transaction((tx) =>
      bookSlot(tx, env, {
        service,
        start,
        ...(entity ? { entity } : {}),
        ...(recordId ? { recordId } : {}),
        ...(priority !== undefined ? { priority } : {}),
        ...(context ? { context: context as Record<string, unknown> } : {}),
      }),
    );
    return send(reply, booked, 201);
  });

  app.get<{ Params: { id: string }; Querystring: Query }>(
    '/api/v1/schedule/resources/:id',
    async (request, reply) => {
      requirePlatform(request, '$process', 'read');
      const { from, to } = request.query;
      const env = await kernelEnvOf(deps, request);
      const schedule = await resourceSchedule(deps.db, env, {
        resourceId: request.params.id,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      });
      return send(reply, schedule);
    },
  );

  app.get<{ Querystring: Query }>('/api/v1/schedule/free', async (request, reply) => {
    requirePlatform(request, '$process', 'read');
    const q = request.query;
    const env = await kernelEnvOf(deps, request);
    const slots = await findFreeSlots(deps.db, env, {
      type: q.type ?? '',
      from: q.from ?? '',
      to: q.to ?? '',
      minutes: q.minutes === undefined ? 60 : Number(q.minutes),
    });
    return send(reply, { items: slots, total: slots.length });
  });

  app.post('/api/v1/schedule/dispatch', async (request, reply) => {
    requirePlatform(request, '$process', 'admin');
    const env = await kernelEnvOf(deps, request);
    const result = await dispatchRound(deps.db, env);
    return send(reply, result);
  });

  app.get<{ Params: { pid: string } }>('/api/v1/processes/:pid/why', async (request, reply) => {
    requirePlatform(request, '$process', 'read');
    const env = await kernelEnvOf(deps, request);
    return send(reply, await explainDispatch(deps.db, env, { pid: request.params.pid }));
  });
}
