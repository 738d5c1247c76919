/**
 * What the console's task inbox needs besides the task lists, for operators who may not read design
 * objects (`$process` read is enough):
 * - `GET /api/v1/processes/:pid/form`: the service's label and the form filled in on completion;
 * - `GET /api/v1/processes/:pid/candidates`: the tenant's active members whose roles and skills fit the
 *   task (whom it may be handed over to), by username.
 */
import { AppError, isUuid, labelText } from '@tenon/core';
import { PLATFORM_SCHEMA, sql } from '@tenon/db';
import { getProcess, isEligible, type Process, ProcessErrors, skillsOf } from '@tenon/kernel';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authOf, localeOf, requirePlatform, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';

export function taskDetailRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const processOf = async (request: FastifyRequest<{ Params: { pid: string } }>): Promise<Process> => {
    requirePlatform(request, '$process', 'read');
    const { pid } = request.params;
    const found = isUuid(pid) ? await getProcess(deps.db, authOf(request).tenant.schemaName, pid) : null;
    if (!found) throw new AppError(ProcessErrors.KERNEL_PROCESS_NOT_FOUND, { pid });
    return found;
  };

  app.get<{ Params: { pid: string } }>('/api/v1/processes/:pid/form', async (request, reply) => {
    const process = await processOf(request);
    const definitions = await deps.kernel.definitions.forTenant(authOf(request).tenant);
    const service = definitions.services.get(process.service);
    return send(reply, {
      service: process.service,
      label: service?.label ?? { 'zh-CN': process.service, en: process.service },
      title: labelText(service?.label, localeOf(request), process.service),
      form: service?.form ?? [],
    });
  });

  app.get<{ Params: { pid: string } }>('/api/v1/processes/:pid/candidates', async (request, reply) => {
    const process = await processOf(request);
    const { rows } = await deps.db.run<{
      id: string;
      username: string;
      display_name: string | null;
      roles: string[] | null;
      attributes: Record<string, unknown> | null;
    }>(sql`SELECT u.id::text AS id, u.username, u.display_name, m.roles, m.attributes
      FROM ${sql.id(PLATFORM_SCHEMA, 'membership')} m JOIN ${sql.id(PLATFORM_SCHEMA, 'user')} u ON u.id = m.user_id
      WHERE m.tenant_id = ${authOf(request).tenant.id} AND NOT u.disabled AND NOT m.disabled
      ORDER BY u.username`);
    const items = rows
      .filter((r) => isEligible(process, { roles: r.roles ?? [], skills: skillsOf(r.attributes ?? {}) }))
      .map((r) => ({ id: r.id, username: r.username, displayName: r.display_name }));
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });
}
