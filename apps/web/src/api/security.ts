/** Users of this tenant and the roles they can be given (`/api/v1/security/`). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Permission } from '../admin/role-matrix.ts';
import { api, type Page } from './client.ts';
import type { Label } from './types.ts';

export type Member = {
  id: string;
  username: string;
  display_name: string | null;
  /** The account or its membership in this tenant is disabled. */
  disabled: boolean;
  roles: string[];
  attributes: Record<string, unknown>;
};
export type Role = { name: string; label: Label; description?: string; permissions: Permission[] };
export type RoleDefinition = Role;
/** A password shown once: a new user's, or one given by a reset. */
export type OneTimePassword = { id: string; username: string; oneTimePassword: string };

export const securityKeys = {
  users: ['security', 'users'] as const,
  roles: ['security', 'roles'] as const,
};

export const useMembers = () =>
  useQuery({
    queryKey: securityKeys.users,
    queryFn: async () => (await api<Page<Member>>('/api/v1/security/users')).items,
  });

export const useRoles = () =>
  useQuery({
    queryKey: securityKeys.roles,
    queryFn: async () => (await api<Page<Role>>('/api/v1/security/roles')).items,
  });

/** A mutation that refreshes the user list once it succeeded. */
function useUsersMutation<I, O>(call: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => client.invalidateQueries({ queryKey: securityKeys.users }),
  });
}

export const useCreateMember = () =>
  useUsersMutation((input: { username: string; displayName?: string; roles: string[] }) =>
    api<OneTimePassword>('/api/v1/security/users', { method: 'POST', body: input }),
  );

export const useUpdateMember = () =>
  useUsersMutation(({ id, ...body }: { id: string; roles?: string[]; disabled?: boolean }) =>
    api<{ id: string }>(`/api/v1/security/users/${id}`, { method: 'PATCH', body }),
  );

export const useResetPassword = () =>
  useUsersMutation((id: string) =>
    api<OneTimePassword>(`/api/v1/security/users/${id}/password`, { method: 'POST', body: {} }),
  );

/** Creates or replaces a role (`PUT /api/v1/security/roles/{name}`); the role lists refresh. */
export function useSaveRole() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, ...role }: RoleDefinition) =>
      api<{ role: RoleDefinition }>(`/api/v1/security/roles/${encodeURIComponent(name)}`, {
        method: 'PUT',
        body: role,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: securityKeys.roles }),
  });
}

/** Creates a role (`POST /api/v1/security/roles`); without `name`, the server derives it from the Chinese name. */
export function useCreateRole() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (role: Omit<RoleDefinition, 'name'> & { name?: string }) =>
      api<{ role: RoleDefinition }>('/api/v1/security/roles', { method: 'POST', body: role }),
    onSuccess: () => client.invalidateQueries({ queryKey: securityKeys.roles }),
  });
}

/** One entry of a user's activity: a record change or a sign-in event (`/api/v1/audit/users/{id}`). */
export type ActivityEntry = {
  id: string;
  at: string;
  username: string | null;
  action: string;
  entity: string | null;
  recordId: string | null;
  ip: string | null;
};

export const useActivity = (userId: string | null) =>
  useQuery({
    queryKey: ['security', 'activity', userId],
    queryFn: async () => (await api<Page<ActivityEntry>>(`/api/v1/audit/users/${userId}`)).items,
    enabled: userId !== null,
  });
