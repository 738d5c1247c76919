/** Records of one entity through the generated API: query keys and calls. */
import { api, type Page, rawApi } from './client.ts';
import type { RecordData } from './types.ts';

export type FilterOp =
  | 'eq'
  | 'ne'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'in'
  | 'nin'
  | 'contains'
  | 'between'
  | 'null';
export const FILTER_OPS: FilterOp[] = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'nin',
  'contains',
  'between',
  'null',
];
export type Condition = {
  field: string;
  op: FilterOp;
  value: string /** the builder's row key */;
  key?: string;
};
export type ListQuery = {
  conditions: Condition[];
  sort: string[];
  fields?: string[];
  /** Link fields to expand into the linked records, so the list shows their titles. */
  expand?: string[];
  pageSize: number;
};

export const recordKeys = {
  all: (entity: string) => ['records', entity] as const,
  list: (entity: string, q: ListQuery) => ['records', entity, 'list', q] as const,
  one: (entity: string, id: string) => ['records', entity, 'one', id] as const,
  history: (entity: string, id: string) => ['records', entity, 'history', id] as const,
};

/** The list's query string: `filter[field][op]=value`, `sort=a,-b`, keyset `cursor`. */
export function listParams(q: ListQuery, cursor?: string | null): URLSearchParams {
  const params = new URLSearchParams();
  for (const c of q.conditions) params.append(`filter[${c.field}][${c.op}]`, c.value);
  if (q.sort.length) params.set('sort', q.sort.join(','));
  if (q.fields?.length) params.set('fields', q.fields.join(','));
  if (q.expand?.length) params.set('expand', q.expand.join(','));
  params.set('pageSize', String(q.pageSize));
  if (cursor) params.set('cursor', cursor);
  else params.set('total', 'true');
  return params;
}

export const listRecords = (entity: string, q: ListQuery, cursor?: string | null) =>
  api<Page<RecordData>>(`/api/v1/${entity}?${listParams(q, cursor)}`);

/** A record and its version (the ETag), for If-Match on save. */
export async function getRecord(entity: string, id: string, expand: string[] = []): Promise<RecordData> {
  const qs = expand.length ? `?expand=${expand.join(',')}` : '';
  const res = await rawApi(`/api/v1/${entity}/${id}${qs}`);
  return (await res.json()).data;
}

export const createRecord = (entity: string, body: RecordData) =>
  api<RecordData>(`/api/v1/${entity}`, { method: 'POST', body });

export const updateRecord = (entity: string, id: string, version: number, body: RecordData) =>
  api<RecordData>(`/api/v1/${entity}/${id}`, {
    method: 'PATCH',
    body,
    headers: { 'if-match': `"${version}"` },
  });

export const deleteRecord = (entity: string, id: string) =>
  api(`/api/v1/${entity}/${id}`, { method: 'DELETE' });

export type AuditEntry = { id: string; at: string; actor: string; action: string; changes?: unknown };
export const recordHistory = (entity: string, id: string) =>
  api<Page<Record<string, unknown>>>(`/api/v1/${entity}/${id}/history`);

/** Downloads the list as CSV or Excel with the same filters and sort. */
/** A record's printable document (a PDF a module serves), opened in a new tab. */
export async function openDocument(path: string, id: string): Promise<void> {
  const res = await rawApi(path.replace('{id}', encodeURIComponent(id)));
  const url = URL.createObjectURL(await res.blob());
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function exportList(entity: string, q: ListQuery, format: 'csv' | 'xlsx'): Promise<void> {
  const params = listParams({ ...q, pageSize: 1 });
  params.delete('pageSize');
  params.delete('total');
  params.delete('expand');
  params.set('format', format);
  const res = await rawApi(`/api/v1/${entity}/_export?${params}`);
  const blob = await res.blob();
  const name =
    /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `${entity}.${format}`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
