/** The operator's task lists: GET /api/v1/tasks?list=mine|available|suspended (`$process` read). */
import { AppError, CoreErrors } from '@tenon/core';
import { listTasks, TASK_LISTS, type TaskList } from '@tenon/kernel';
import type { FastifyInstance } from 'fastify';
import { localeOf, requirePlatform, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';
import { kernelEnvOf, operatorOf } from './processes.routes.ts';

export function taskRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Querystring: { list?: string } }>('/api/v1/tasks', async (request, reply) => {
    requirePlatform(request, '$process', 'read');
    const list = (request.query.list ?? 'mine') as TaskList;
    if (!TASK_LISTS.includes(list)) {
      throw new AppError(CoreErrors.BAD_REQUEST, { reason: `list must be one of ${TASK_LISTS.join(', ')}` });
    }
    const env = await kernelEnvOf(deps, request);
    const items = await listTasks(deps.db, env, {
      operator: operatorOf(request),
      list,
      locale: localeOf(request),
    });
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });
}
