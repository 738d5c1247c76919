/** Texts of a dashboard widget: its title and the labels of its groups, from the entity's definition. */
import type { AggregateResult, Widget } from '../api/me.ts';
import { type EntityDef, labelOf } from '../api/types.ts';

type T = (key: string, options?: Record<string, unknown>) => string;

export function widgetTitle(w: Widget, entity: EntityDef | undefined, lang: string, t: T): string {
  if (w.title) return w.title;
  const name = labelOf(entity?.label, lang, w.entity);
  const measure =
    w.measure === 'count'
      ? t('dashboard.count')
      : t('dashboard.sum', { field: fieldLabel(entity, w.measure.slice(4), lang) });
  const by = w.groupBy ? ` / ${fieldLabel(entity, w.groupBy.split(':')[0]!, lang)}` : '';
  return `${name} · ${measure}${by}`;
}

export function fieldLabel(entity: EntityDef | undefined, name: string, lang: string): string {
  const field = entity?.fields.find((f) => f.name === name);
  return labelOf(field?.label, lang, name);
}

/** A group key as a person reads it: the linked record's title, the option's label, yes/no. */
export function groupLabel(
  group: NonNullable<AggregateResult['groups']>[number],
  entity: EntityDef | undefined,
  groupBy: string,
  lang: string,
  t: T,
): string {
  if (group.key === null) return t('dashboard.none');
  if (group.label) return group.label;
  const field = entity?.fields.find((f) => f.name === groupBy.split(':')[0]);
  if (field?.kind === 'select')
    return labelOf(field.options?.find((o) => o.value === group.key)?.label, lang, group.key);
  if (field?.kind === 'boolean') return group.key === 'true' ? t('form.yes') : t('form.no');
  return group.key;
}
