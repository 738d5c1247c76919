/**
 * Preferences of the signed-in user, kept on the server (`/api/v1/me/preferences`): the home
 * dashboard's widgets and the current company (the default of `company` links on new records).
 * Each value is checked against what the user may read before it is stored (decisions 0027, 0028).
 */
import { AppError, isUuid } from '@tenon/core';
import { getRecord, type TenantMetamodel } from '@tenon/design';
import type { Authenticated } from '@tenon/identity';
import type { FastifyInstance } from 'fastify';
import { parseAggregate } from '../aggregate/aggregate.ts';
import { authOf, metamodelOf, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';
import { ConsoleErrors } from '../me/me-errors.ts';
import { readPreferences, writePreference } from '../me/preferences.repository.ts';
import { findVisibleView } from '../me/saved-views.repository.ts';

export const COMPANY_ENTITY = 'company';
const MAX_WIDGETS = 24;

type Widget = {
  id: string;
  type: 'kpi' | 'chart';
  entity: string;
  title?: string;
  measure: string;
  groupBy?: string;
  chart?: 'bar' | 'line' | 'pie';
  view?: string;
};

const widgetSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'entity', 'measure'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 50 },
    type: { enum: ['kpi', 'chart'] },
    entity: { type: 'string', minLength: 1, maxLength: 100 },
    title: { type: 'string', maxLength: 100 },
    measure: { type: 'string', minLength: 1, maxLength: 110 },
    groupBy: { type: 'string', minLength: 1, maxLength: 110 },
    chart: { enum: ['bar', 'line', 'pie'] },
    view: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' },
  },
} as const;

const schemas = {
  dashboard: {
    type: 'object',
    additionalProperties: false,
    required: ['widgets'],
    properties: { widgets: { type: 'array', maxItems: MAX_WIDGETS, items: widgetSchema } },
  },
  company: {
    type: 'object',
    additionalProperties: false,
    required: ['companyId'],
    properties: { companyId: { type: ['string', 'null'] } },
  },
} as const;

type Key = keyof typeof schemas;

const invalid = (reason: string) => new AppError(ConsoleErrors.CONSOLE_PREFERENCE_INVALID, { reason });

async function checkDashboard(
  deps: ServerDeps,
  auth: Authenticated,
  metamodel: TenantMetamodel,
  value: { widgets: Widget[] },
) {
  const ids = new Set<string>();
  for (const [i, w] of value.widgets.entries()) {
    const at = `widgets.${i}`;
    if (ids.has(w.id)) throw invalid(`${at}: the id ${w.id} is used twice`);
    ids.add(w.id);
    const entity = metamodel.find(w.entity);
    if (!entity || entity.def.childOf || !auth.policy.decide(entity.def.name, 'read').allowed)
      throw invalid(`${at}: unknown entity ${w.entity}`);
    if (w.type === 'chart' && (!w.groupBy || !w.chart))
      throw invalid(`${at}: a chart needs groupBy and chart`);
    if (w.type === 'kpi' && (w.groupBy || w.chart))
      throw invalid(`${at}: a KPI card has no groupBy or chart`);
    try {
      parseAggregate(entity, auth.policy, { measure: w.measure, groupBy: w.groupBy });
    } catch (err) {
      throw invalid(`${at}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (w.view) {
      const view = await findVisibleView(deps.db, auth.tenant.schemaName, auth.principal.userId, w.view);
      if (!view || view.entity !== entity.def.name) throw invalid(`${at}: unknown view ${w.view}`);
    }
  }
}

async function checkCompany(
  deps: ServerDeps,
  auth: Authenticated,
  metamodel: TenantMetamodel,
  id: string | null,
) {
  if (id === null) return;
  const entity = metamodel.find(COMPANY_ENTITY);
  if (!entity) throw invalid('this tenant has no company entity');
  const found = isUuid(id)
    ? await getRecord(deps.db, metamodel, entity, id, { fields: ['id'], access: auth.policy })
    : null;
  if (!found) throw invalid(`unknown company ${id}`);
}

export function mePreferenceRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get('/api/v1/me/preferences', async (request, reply) => {
    const auth = authOf(request);
    return send(reply, await readPreferences(deps.db, auth.tenant.schemaName, auth.principal.userId));
  });

  for (const key of Object.keys(schemas) as Key[]) {
    app.put<{ Body: { value: unknown } }>(
      `/api/v1/me/preferences/${key}`,
      {
        schema: {
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['value'],
            properties: { value: schemas[key] },
          },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const metamodel = await metamodelOf(deps, request);
        const value = request.body.value;
        if (key === 'dashboard') await checkDashboard(deps, auth, metamodel, value as { widgets: Widget[] });
        else await checkCompany(deps, auth, metamodel, (value as { companyId: string | null }).companyId);
        await writePreference(deps.db, auth.tenant.schemaName, { userId: auth.principal.userId, key, value });
        return send(reply, { key, value });
      },
    );
  }
}
