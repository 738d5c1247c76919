/** The signed-in user's notifications (their own and their roles'): unread count, list, mark read. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Label } from './types.ts';

export type Notification = {
  id: string;
  title: Label;
  body: string | null;
  entity: string | null;
  recordId: string | null;
  readAt: string | null;
  createdAt: string;
};

const POLL_MS = 30_000;

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  recent: ['notifications', 'recent'] as const,
};

export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: async () =>
      (await api<{ total: number }>('/api/v1/notifications?unread=true&pageSize=1')).total ?? 0,
    refetchInterval: POLL_MS,
  });
}

export function useNotifications(enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.recent,
    queryFn: () => api<{ items: Notification[] }>('/api/v1/notifications?pageSize=20'),
    enabled,
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<Notification>(`/api/v1/notifications/${id}/read`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}
