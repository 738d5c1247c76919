/**
 * `GET /api/v1/:entity/_aggregate?measure=count|sum:<field>&groupBy=<field>[:day|week|month]` with the
 * list's filters (`filter[field][op]=value`, JSON `filter`) and optionally `view=<saved view id>`,
 * whose filter is added. The dashboard's KPI cards and charts read it (decision 0027).
 */
import { AppError, isUuid } from '@tenon/core';
import { MetaErrors, parseFilterParams } from '@tenon/design';
import type { FastifyInstance } from 'fastify';
import { aggregateRecords, parseAggregate } from '../aggregate/aggregate.ts';
import { authOf, metamodelOf, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';
import { ConsoleErrors } from '../me/me-errors.ts';
import { findVisibleView } from '../me/saved-views.repository.ts';

export function aggregateRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Params: { entity: string } }>('/api/v1/:entity/_aggregate', async (request, reply) => {
    const auth = authOf(request);
    const metamodel = await metamodelOf(deps, request);
    const entity = metamodel.get(request.params.entity);
    if (entity.def.childOf) throw new AppError(MetaErrors.META_ENTITY_IS_CHILD, { entity: entity.def.name });
    const query = request.query as Record<string, unknown>;
    const spec = parseAggregate(entity, auth.policy, { measure: query.measure, groupBy: query.groupBy });
    const filters = [parseFilterParams(query)];
    if (query.view !== undefined) {
      const id = String(query.view);
      const view = isUuid(id)
        ? await findVisibleView(deps.db, auth.tenant.schemaName, auth.principal.userId, id)
        : null;
      if (!view || view.entity !== entity.def.name)
        throw new AppError(ConsoleErrors.CONSOLE_VIEW_NOT_FOUND, { id });
      filters.push(view.state.filter);
    }
    const result = await aggregateRecords(deps.db, { metamodel, entity, access: auth.policy, spec, filters });
    return send(reply, result);
  });
}
