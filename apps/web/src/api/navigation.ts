/** The signed-in user's navigation (readable entities, permissions): one query, shared by every screen. */
import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { EntityDef, Label } from './types.ts';

export type EntityPermissions = {
  create: boolean;
  update: boolean;
  delete: boolean;
  export: boolean;
  import: boolean;
};
export type NavEntity = EntityDef & { can: EntityPermissions; readOnlyFields: string[] };
export type Navigation = {
  user: { id: string; username: string; roles: string[] };
  tenant: string;
  passwordChangeRequired: boolean;
  canDesign: boolean;
  /** May read processes: the task inbox and the resource schedule. */
  canWork: boolean;
  /** May manage users (`$security` read): the administration menu. */
  canAdminister: boolean;
  /** Installed modules in menu order; an entity whose `source` is `module:<name>` belongs to one. */
  modules?: { name: string; label: Label | null }[];
  entities: NavEntity[];
};

export const navigationKeys = { all: ['navigation'] as const };

export function useNavigation(enabled = true) {
  return useQuery({
    queryKey: navigationKeys.all,
    queryFn: () => api<Navigation>('/api/v1/navigation'),
    enabled,
    staleTime: 60_000,
  });
}
