/** The kernel's task lists and process transitions: query keys and calls. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from './client.ts';
import type { Label } from './types.ts';

export type TaskList = 'mine' | 'available' | 'suspended';
export const TASK_LISTS: TaskList[] = ['mine', 'available', 'suspended'];

export type ProcessState = 'NEW' | 'READY' | 'RUNNING' | 'WAITING' | 'SUSPENDED' | 'TERMINATED';

export type Task = {
  pid: string;
  service: string;
  serviceLabel: string;
  state: ProcessState;
  entity: string | null;
  recordId: string | null;
  recordTitle: string | null;
  operatorId: string | null;
  role: string | null;
  skills: string[];
  priority: number;
  dueAt: string | null;
  waitReason: string | null;
  version: number;
  createdAt: string;
};

/** A form field of a service (a subset of the field kinds), filled in on completion. */
export type ServiceFormField = {
  name: string;
  label: Label;
  kind: 'string' | 'text' | 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'select';
  required?: boolean;
  options?: { value: string; label: Label }[];
};
export type TaskForm = { service: string; label: Label; form: ServiceFormField[] };
export type Candidate = { id: string; username: string; displayName: string | null };

export type Transition = 'claim' | 'start' | 'suspend' | 'resume' | 'complete' | 'handover' | 'release';

export const taskKeys = {
  all: ['tasks'] as const,
  /** Per language: the server names services and records in the request's language. */
  list: (list: TaskList, lang: string) => ['tasks', list, lang] as const,
  form: (pid: string) => ['task-form', pid] as const,
  candidates: (pid: string) => ['task-candidates', pid] as const,
};

export function useTasks(list: TaskList) {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: taskKeys.list(list, i18n.language),
    queryFn: () => api<{ items: Task[]; total: number }>(`/api/v1/tasks?list=${list}`),
  });
}

/** The service's form of a process (what completing it asks for). */
export function useTaskForm(pid: string | null) {
  return useQuery({
    queryKey: taskKeys.form(pid ?? ''),
    queryFn: () => api<TaskForm>(`/api/v1/processes/${pid}/form`),
    enabled: pid !== null,
    staleTime: 60_000,
  });
}

/** Members whose roles and skills fit the task: whom it may be handed over to. */
export function useCandidates(pid: string | null) {
  return useQuery({
    queryKey: taskKeys.candidates(pid ?? ''),
    queryFn: () => api<{ items: Candidate[] }>(`/api/v1/processes/${pid}/candidates`),
    enabled: pid !== null,
  });
}

/** One transition of one process; every task list is refetched afterwards. */
export function useTransition() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      task: Pick<Task, 'pid' | 'version'>;
      transition: Transition;
      data?: Record<string, unknown>;
      operatorId?: string;
      reason?: string;
    }) =>
      api<Task>(`/api/v1/processes/${input.task.pid}/${input.transition}`, {
        method: 'POST',
        headers: { 'if-match': `"${input.task.version}"` },
        body: {
          ...(input.data ? { data: input.data } : {}),
          ...(input.operatorId ? { operatorId: input.operatorId } : {}),
          ...(input.reason ? { reason: input.reason } : {}),
        },
      }),
    onSettled: () => client.invalidateQueries({ queryKey: taskKeys.all }),
  });
}

/** Which buttons a task shows in a list, by its state and whether it is mine (the server re-checks). */
export function transitionsFor(task: Task, list: TaskList): Transition[] {
  if (list === 'available') return ['claim'];
  if (task.state === 'READY') return ['start', 'release', 'handover'];
  if (task.state === 'RUNNING') return ['complete', 'suspend', 'handover'];
  if (task.state === 'SUSPENDED') return ['resume', 'handover'];
  return [];
}
