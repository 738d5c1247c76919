/**
 * Design objects other than entities (services, rules, resource types, form layouts, menus) through the meta objects API:
 * list, save (create or update with If-Match, or only validate with `?dryRun=true`), delete, and the
 * rule dry run against a sample event.
 */
import { useQuery } from '@tanstack/react-query';
import { ApiError, api, type FieldError } from '../api/client.ts';
import type { Label } from '../api/types.ts';

export type ObjectKind = 'service' | 'rule' | 'resource_type' | 'form' | 'list' | 'menu';
export const OBJECT_KINDS: ObjectKind[] = ['service', 'rule', 'resource_type', 'form', 'list', 'menu'];

export type Definition = { name?: string; label?: Label; condition?: string } & Record<string, unknown>;
export type StoredObject = { kind: string; name: string; definition: Definition; version: number };

export const objectKeys = {
  list: (kind: string) => ['meta-objects', kind] as const,
};

export function useObjects(kind: ObjectKind) {
  return useQuery({
    queryKey: objectKeys.list(kind),
    queryFn: async () => (await api<{ items: StoredObject[] }>(`/api/v1/meta/objects/${kind}`)).items,
  });
}

/** A new object's starting point: the smallest definition each kind accepts. */
export function templateOf(kind: ObjectKind): Definition {
  const label = { 'zh-CN': '', en: '' };
  if (kind === 'rule') {
    return {
      label,
      event: { topic: 'record.created', entity: '' },
      condition: '',
      instructions: [{ do: 'notify', role: 'admin', title: { 'zh-CN': '', en: '' } }],
    };
  }
  if (kind === 'resource_type') return { name: '', label, category: 'equipment' };
  if (kind === 'menu') {
    return {
      name: 'main',
      groups: [
        {
          label: { 'zh-CN': '业务', en: 'Business' },
          items: [{ path: '/tasks', label: { 'zh-CN': '任务', en: 'Tasks' } }],
        },
      ],
    };
  }
  if (kind === 'form') return { entity: '', style: 'sections', columns: 2, sections: [] };
  if (kind === 'list') return { entity: '', sort: ['-created_at'], pageSize: 50 };
  return { label, durationMinutes: 30, priority: 50, form: [] };
}

/** A form layout's starting point for an entity: all its fields in one section. */
export function layoutFor(entity: {
  name: string;
  fields: { name: string; hidden?: boolean }[];
}): Definition {
  return {
    entity: entity.name,
    style: 'sections',
    columns: 2,
    sections: [
      {
        label: { 'zh-CN': '基本信息', en: 'Basics' },
        fields: entity.fields.filter((f) => !f.hidden).map((f) => f.name),
      },
    ],
  };
}

/** List defaults' starting point for an entity: its shown fields as columns, newest first. */
export function listDefaultsFor(entity: {
  name: string;
  fields: { name: string; kind: string; hidden?: boolean }[];
}): Definition {
  return {
    entity: entity.name,
    columns: entity.fields.filter((f) => !f.hidden && f.kind !== 'children').map((f) => f.name),
    sort: ['-created_at'],
    pageSize: 50,
  };
}

/** Creates or updates (`existing` = the stored version); `dryRun` validates only. */
export function saveObject(input: {
  kind: ObjectKind;
  definition: Definition;
  existing: StoredObject | null;
  dryRun?: boolean;
}): Promise<StoredObject> {
  const query = input.dryRun ? '?dryRun=true' : '';
  if (input.existing) {
    return api<StoredObject>(`/api/v1/meta/objects/${input.kind}/${input.existing.name}${query}`, {
      method: 'PUT',
      body: input.definition,
      headers: { 'if-match': `"${input.existing.version}"` },
    });
  }
  return api<StoredObject>(`/api/v1/meta/objects/${input.kind}${query}`, {
    method: 'POST',
    body: input.definition,
  });
}

export function deleteObject(kind: ObjectKind, existing: StoredObject): Promise<unknown> {
  return api(`/api/v1/meta/objects/${kind}/${existing.name}`, {
    method: 'DELETE',
    headers: { 'if-match': `"${existing.version}"` },
  });
}

/** The server's check of a definition: no errors, or the field errors it would refuse with. */
export async function checkObject(input: {
  kind: ObjectKind;
  definition: Definition;
  existing: StoredObject | null;
}): Promise<FieldError[]> {
  try {
    await saveObject({ ...input, dryRun: true });
    return [];
  } catch (err) {
    if (err instanceof ApiError) {
      return err.details.length ? err.details : [{ field: '', code: err.code, message: err.message }];
    }
    throw err;
  }
}

/** Errors at `path` or below it (`condition`, `instructions.0.value`). */
export function errorsAt(errors: FieldError[], path: string): FieldError[] {
  return errors.filter((e) => e.field === path || e.field.startsWith(`${path}.`));
}

export type DryRunResult = {
  matched: boolean;
  condition: boolean | 'error';
  conditionError?: string;
  instructions: Record<string, unknown>[];
};

/** Evaluates a rule (not saved yet) against a sample record; writes nothing. */
export function dryRun(definition: Definition, record: Record<string, unknown>): Promise<DryRunResult> {
  const event = (definition.event ?? {}) as { topic?: string; entity?: string };
  return api<DryRunResult>('/api/v1/rules/dry-run', {
    method: 'POST',
    body: {
      rule: definition,
      event: { topic: event.topic ?? 'record.created', entity: event.entity, record },
    },
  });
}
