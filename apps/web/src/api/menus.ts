/** The tenant's designed menu (`GET /api/v1/menus/main`), or null: the shell then builds its own. */
import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Label } from './types.ts';

export type MenuItem = { entity?: string; path?: string; label?: Label };
export type MenuDef = { name: string; groups: { label: Label; items: MenuItem[] }[] };

export function useMenu() {
  return useQuery({
    queryKey: ['menu', 'main'],
    queryFn: () => api<MenuDef | null>('/api/v1/menus/main').catch(() => null),
    staleTime: 60_000,
  });
}
