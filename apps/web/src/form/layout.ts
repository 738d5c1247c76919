/**
 * Form layouts (design objects of kind `form`, read through `GET /api/v1/forms/:entity`): an entity's
 * fields grouped into labelled sections or tabs with a number of columns. Fields a layout leaves out
 * follow in a last, unlabelled group.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { FieldDef, Label } from '../api/types.ts';

export type FormLayout = {
  entity: string;
  style?: 'sections' | 'tabs';
  columns?: number;
  sections: { label: Label; columns?: number; fields: string[] }[];
};

export type FieldGroup = { key: string; label: Label | null; columns: number | null; fields: FieldDef[] };

export const layoutKeys = { one: (entity: string) => ['form-layout', entity] as const };

export function useFormLayout(entity: string | undefined) {
  return useQuery({
    queryKey: layoutKeys.one(entity ?? ''),
    queryFn: () => api<FormLayout | null>(`/api/v1/forms/${entity}`),
    enabled: !!entity,
    staleTime: 60_000,
    retry: false,
  });
}

/** The shown fields in the layout's groups (one group of all of them without a layout). */
export function groupFields(fields: FieldDef[], layout: FormLayout | null | undefined): FieldGroup[] {
  const shown = fields.filter((f) => !f.hidden);
  if (!layout) return [{ key: 'all', label: null, columns: null, fields: shown }];
  const byName = new Map(shown.map((f) => [f.name, f]));
  const placed = new Set<string>();
  const groups: FieldGroup[] = layout.sections.map((s, i) => ({
    key: `s${i}`,
    label: s.label,
    columns: s.columns ?? layout.columns ?? null,
    fields: s.fields.flatMap((name) => {
      const f = byName.get(name);
      if (!f) return [];
      placed.add(name);
      return [f];
    }),
  }));
  const rest = shown.filter((f) => !placed.has(f.name));
  if (rest.length) groups.push({ key: 'rest', label: null, columns: layout.columns ?? null, fields: rest });
  return groups.filter((g) => g.fields.length > 0);
}
