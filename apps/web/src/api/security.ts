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

/** A mutation that refreshes one of the lists (users or roles) once it succeeded. */
function useSecurityMutation<I, O>(refreshes: readonly string[], call: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => client.invalidateQueries({ queryKey: refreshes }),
  });
}

export const useCreateMember = () =>
  useSecurityMutation(
    securityKeys.users,
    (input: { username: string; displayName?: string; roles: string[] }) =>
      api<OneTimePassword>('/api/v1/security/users', { method: 'POST', body: input }),
  );

export const useUpdateMember = () =>
  useSecurityMutation(
    securityKeys.users,
    ({ id, ...body }: { id: string; roles?: string[]; disabled?: boolean }) =>
      api<{ id: string }>(`/api/v1/security/users/${id}`, { method: 'PATCH', body }),
  );

export const useResetPassword = () =>
  useSecurityMutation(securityKeys.users, (id: string) =>
    api<OneTimePassword>(`/api/v1/security/users/${id}/password`, { method: 'POST', body: {} }),
  );

/** Replaces a role (`PUT /api/v1/security/roles/{name}`). */
export const useSaveRole = () =>
  useSecurityMutation(securityKeys.roles, ({ name, ...role }: Role) =>
    api<{ role: Role }>(`/api/v1/security/roles/${encodeURIComponent(name)}`, { method: 'PUT', body: role }),
  );

/** Creates a role (`POST /api/v1/security/roles`); without `name`, the server derives it from the Chinese name. */
export const useCreateRole = () =>
  useSecurityMutation(securityKeys.roles, (role: Omit<Role, 'name'> & { name?: string }) =>
    api<{ role: Role }>('/api/v1/security/roles', { method: 'POST', body: role }),
  );

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
