/** The designer's defaults for an entity's list (columns, sort, page size, filter), or null. */
import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { ViewState } from './me.ts';

export type ListDefaults = Partial<ViewState>;

export const useListDefaults = (entity: string) =>
  useQuery({
    queryKey: ['list-defaults', entity],
    queryFn: () => api<ListDefaults | null>(`/api/v1/lists/${encodeURIComponent(entity)}`),
    enabled: !!entity,
    staleTime: 60_000,
  });

/** How a list opens without a view of the user's own: the defaults, else every column unsorted. */
export function baseViewState(defaults: ListDefaults | null | undefined): ViewState {
  return {
    filter: defaults?.filter ?? null,
    sort: defaults?.sort ?? [],
    columns: defaults?.columns ?? [],
    pageSize: defaults?.pageSize ?? 50,
  };
}
