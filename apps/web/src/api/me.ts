/**
 * The signed-in user's things kept on the server: saved list views, preferences (dashboard, current
 * company), and the aggregate, bulk and record-action calls of the generated API that screens use.
 */
import { useQuery } from '@tanstack/react-query';
import '../i18n/console-user.ts';
import { api } from './client.ts';
import type { Condition } from './records.ts';
import type { Label } from './types.ts';

export type FilterNode =
  | { and: FilterNode[] }
  | { or: FilterNode[] }
  | { field: string; op: string; value?: unknown };
export type ViewState = { filter: FilterNode | null; sort: string[]; columns: string[]; pageSize: number };
export type SavedView = {
  id: string;
  entity: string;
  name: string;
  shared: boolean;
  ownerName: string;
  isDefault: boolean;
  mine: boolean;
  editable: boolean;
  version: number;
  state: ViewState;
};

export type Widget = {
  id: string;
  type: 'kpi' | 'chart';
  entity: string;
  title?: string;
  measure: string;
  groupBy?: string;
  chart?: 'bar' | 'line' | 'pie';
  view?: string;
};
export type Preferences = { dashboard?: { widgets: Widget[] }; company?: { companyId: string | null } };

export type AggregateResult = {
  value?: string;
  groups?: { key: string | null; label?: string; value: string }[];
};

export type BulkRequest = {
  ids?: string[];
  all?: boolean;
  filter?: FilterNode | null;
  operation: 'delete' | 'update' | 'action';
  patch?: Record<string, unknown>;
  action?: string;
};
export type BulkOutcome = { operation: string; count: number; ids: string[] };
export type RecordAction = { name: string; label: Label; allowed: boolean };

export const meKeys = {
  views: (entity: string) => ['me', 'views', entity] as const,
  preferences: ['me', 'preferences'] as const,
  aggregate: (entity: string, qs: string) => ['aggregate', entity, qs] as const,
  actions: (entity: string, id: string) => ['records', entity, 'actions', id] as const,
};

/** The builder's flat conditions as the API's filter tree (null when there are none). */
export function conditionsToFilter(conditions: Condition[]): FilterNode | null {
  if (conditions.length === 0) return null;
  return { and: conditions.map(({ field, op, value }) => ({ field, op, value })) };
}

/** A stored filter back into the builder's conditions (a tree with or-groups has no flat form: none). */
export function filterToConditions(node: FilterNode | null): Condition[] {
  if (!node) return [];
  const list = 'and' in node ? node.and : [node];
  const flat = list.filter((n): n is { field: string; op: string; value?: unknown } => 'field' in n);
  if (flat.length !== list.length) return [];
  return flat.map((c, i) => ({
    field: c.field,
    op: c.op as Condition['op'],
    value: c.value === undefined || c.value === null ? '' : String(c.value),
    key: `v${i}`,
  }));
}

export const useViews = (entity: string) =>
  useQuery({
    queryKey: meKeys.views(entity),
    queryFn: async () =>
      (await api<{ items: SavedView[] }>(`/api/v1/me/views?entity=${encodeURIComponent(entity)}`)).items,
    enabled: !!entity,
  });

export const createView = (body: {
  entity: string;
  name: string;
  shared: boolean;
  isDefault: boolean;
  state: ViewState;
}) => api<SavedView>('/api/v1/me/views', { method: 'POST', body });

export const patchView = (
  id: string,
  body: Partial<{ name: string; shared: boolean; isDefault: boolean; state: ViewState }>,
) => api<SavedView>(`/api/v1/me/views/${id}`, { method: 'PATCH', body });

export const deleteView = (id: string) => api(`/api/v1/me/views/${id}`, { method: 'DELETE' });

export const usePreferences = () =>
  useQuery({ queryKey: meKeys.preferences, queryFn: () => api<Preferences>('/api/v1/me/preferences') });

export const savePreference = <K extends keyof Preferences>(key: K, value: NonNullable<Preferences[K]>) =>
  api(`/api/v1/me/preferences/${key}`, { method: 'PUT', body: { value } });

/** The query string of a widget's aggregate. */
export function aggregateParams(w: Pick<Widget, 'measure' | 'groupBy' | 'view'>): string {
  const params = new URLSearchParams({ measure: w.measure });
  if (w.groupBy) params.set('groupBy', w.groupBy);
  if (w.view) params.set('view', w.view);
  return params.toString();
}

export const useAggregate = (entity: string, qs: string) =>
  useQuery({
    queryKey: meKeys.aggregate(entity, qs),
    queryFn: () => api<AggregateResult>(`/api/v1/${entity}/_aggregate?${qs}`),
  });

export const runBulk = (entity: string, body: BulkRequest) =>
  api<BulkOutcome>(`/api/v1/${entity}/_bulk`, { method: 'POST', body });

export const useRecordActions = (entity: string, id: string, enabled: boolean) =>
  useQuery({
    queryKey: meKeys.actions(entity, id),
    queryFn: async () => (await api<{ items: RecordAction[] }>(`/api/v1/${entity}/${id}/_actions`)).items,
    enabled,
  });

export const runRecordAction = (entity: string, id: string, action: string) =>
  api(`/api/v1/${entity}/${id}/${action}`, { method: 'POST', body: {} });
