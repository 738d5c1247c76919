/** The generated menu's entity groups (pure: tested without a browser). */
import type { Navigation } from '../api/navigation.ts';
import { labelOf } from '../api/types.ts';

/**
 * The generated menu's entity groups: what users designed under "data" first, then one group per
 * module (in the modules' order, under the module's label) for the entities it owns.
 */
export function entityGroups(
  nav: Navigation,
  lang: string,
  dataLabel: string,
): { key: string; label: string; entities: Navigation['entities'] }[] {
  const byGroup = new Map<string, Navigation['entities']>();
  for (const e of nav.entities) {
    if (e.childOf) continue;
    const module = e.source?.startsWith('module:') ? e.source.slice('module:'.length) : null;
    const key = module ? `module-${module}` : 'data';
    byGroup.set(key, [...(byGroup.get(key) ?? []), e]);
  }
  const labels = new Map(
    (nav.modules ?? []).map((m) => [`module-${m.name}`, labelOf(m.label ?? undefined, lang, m.name)]),
  );
  const order = ['data', ...labels.keys()];
  const keys = [...byGroup.keys()].sort((a, b) => rank(order, a) - rank(order, b));
  return keys.map((key) => ({
    key,
    label: key === 'data' ? dataLabel : (labels.get(key) ?? key.slice('module-'.length)),
    entities: byGroup.get(key) ?? [],
  }));
}

const rank = (order: string[], key: string) => {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
};
