/**
 * `GET /api/v1/:entity/:id/_actions`: the entity's declared actions with whether the signed-in user
 * may run each on this record now: the action has a handler, the user's roles grant it, and the
 * record is inside the row condition of that grant (a role can say `confirm` only where
 * `status = draft`: the buttons follow the record's state). The action route checks all of it again.
 */
import { AppError, CoreErrors, isUuid } from '@tenon/core';
import { sql } from '@tenon/db';
import { filterSql, requireAccess } from '@tenon/design';
import type { FastifyInstance } from 'fastify';
import { authOf, metamodelOf, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';

export function recordActionRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Params: { entity: string; id: string } }>(
    '/api/v1/:entity/:id/_actions',
    async (request, reply) => {
      const { policy } = authOf(request);
      const metamodel = await metamodelOf(deps, request);
      const entity = metamodel.get(request.params.entity);
      const { id } = request.params;
      const read = requireAccess(policy, entity.def.name, 'read');
      const declared = (entity.def.actions ?? []).map((a) => ({
        def: a,
        decision: policy.decide(entity.def.name, a.name),
        handled: !!deps.actions.find(entity.def.name, a.name),
      }));
      const granted = declared.filter((a) => a.handled && a.decision.allowed);
      const checks = granted.map(
        (a, i) => sql`(${filterSql(metamodel, entity, 't', a.decision.rowFilter)}) AS ${sql.id(`a${i}`)}`,
      );
      const { rows } = isUuid(id)
        ? await deps.db.run<Record<string, boolean>>(
            sql`SELECT ${sql.join([sql`t.id`, ...checks])} FROM ${sql.id(entity.tenant.schemaName, entity.def.name)} AS t
              WHERE t.id = ${id} AND ${filterSql(metamodel, entity, 't', read.rowFilter)}`,
          )
        : { rows: [] };
      const row = rows[0];
      if (!row) throw new AppError(CoreErrors.RECORD_NOT_FOUND, { entity: entity.def.name, id });
      const items = declared.map((a) => {
        const index = granted.indexOf(a);
        return { name: a.def.name, label: a.def.label, allowed: index >= 0 && row[`a${index}`] === true };
      });
      return send(reply, { items });
    },
  );
}
