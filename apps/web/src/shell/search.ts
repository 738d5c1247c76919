/**
 * Global search: the list API of every readable top-level entity with a `contains` filter on its
 * title field, a few hits each, all at once; entities without a text title are skipped.
 */
import { api } from '../api/client.ts';
import type { EntityDef, RecordData } from '../api/types.ts';
import { titleFieldOf } from '../fields/context.ts';

export type SearchHit = { entity: string; id: string; title: string };

export const SEARCH_DEBOUNCE_MS = 300;
const PER_ENTITY = 5;

/** The entities searched and the field each one is searched by. */
export function searchTargets(entities: EntityDef[]): { entity: string; field: string }[] {
  return entities
    .filter((e) => !e.childOf)
    .map((e) => ({ entity: e.name, field: titleFieldOf(e) }))
    .filter((t) => t.field !== 'id');
}

export async function searchEverywhere(
  entities: EntityDef[],
  text: string,
  call: typeof api = api,
): Promise<SearchHit[]> {
  const q = text.trim();
  if (!q) return [];
  const pages = await Promise.all(
    searchTargets(entities).map(async ({ entity, field }) => {
      const params = new URLSearchParams({ pageSize: String(PER_ENTITY), fields: `id,${field}` });
      params.set(`filter[${field}][contains]`, q);
      try {
        const page = await call<{ items: RecordData[] }>(`/api/v1/${entity}?${params}`);
        return page.items.map((r) => ({ entity, id: String(r.id), title: String(r[field] ?? r.id) }));
      } catch {
        return []; // one entity failing (a row policy, a field gone) does not spoil the others
      }
    }),
  );
  return pages.flat();
}
