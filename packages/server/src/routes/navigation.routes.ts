/**
 * `GET /api/v1/navigation`: what the console's shell needs for the signed-in user: the entities they
 * may read (with their fields, less the fields their roles hide), what they may do with each, and
 * whether they may open the designer or the task screens. Unlike `/api/v1/meta/entities` it needs no `$meta` permission.
 */
import { resolveEntity } from '@tenon/design';
import type { FastifyInstance } from 'fastify';
import type { ModuleInfo } from '../app.ts';
import { authOf, type ServerDeps, tenantOf } from '../context.ts';
import { send } from '../envelope.ts';

const ACTIONS = ['create', 'update', 'delete', 'export', 'import'] as const;

export function navigationRoutes(
  app: FastifyInstance,
  deps: ServerDeps,
  modules: readonly ModuleInfo[],
): void {
  app.get('/api/v1/navigation', async (request, reply) => {
    const auth = authOf(request);
    const metamodel = await deps.metamodels.forTenant(tenantOf(request));
    const all = metamodel.definitions();
    const lookup = (n: string) => all.find((d) => d.def.name === n)?.def;
    const entities = [];
    for (const stored of all) {
      if (stored.def.abstract) continue;
      const read = auth.policy.decide(stored.def.name, 'read');
      if (!read.allowed) continue;
      const def = resolveEntity(stored.def, lookup);
      const can = Object.fromEntries(ACTIONS.map((a) => [a, auth.policy.decide(def.name, a).allowed]));
      entities.push({
        ...def,
        fields: def.fields.filter((f) => !read.hiddenFields.has(f.name)),
        readOnlyFields: [...read.readOnlyFields],
        version: stored.version,
        source: stored.source,
        can,
      });
    }
    return send(reply, {
      user: { id: auth.principal.userId, username: auth.principal.username, roles: auth.principal.roles },
      tenant: auth.tenant.name,
      passwordChangeRequired: auth.passwordChangeRequired,
      canDesign: auth.policy.decide('$meta', 'update').allowed,
      // The task inbox and the resource schedule read processes.
      canWork: auth.policy.decide('$process', 'read').allowed,
      // Users and their roles (the console's administration pages).
      canAdminister: auth.policy.decide('$security', 'read').allowed,
      // An entity's `source` is `module:<name>` when a module owns it: the menu groups it under that label.
      modules: modules.map((m) => ({ name: m.name, label: m.label ?? null })),
      entities,
    });
  });
}
