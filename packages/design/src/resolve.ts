import type { EntityDef } from './types.ts';

export type DefinitionLookup = (name: string) => EntityDef | undefined;

/** Applies inheritance: the base's fields (recursively) come first, then the entity's own. */
export function resolveEntity(def: EntityDef, lookup: DefinitionLookup, seen: string[] = []): EntityDef {
  if (!def.extends) return def;
  if (seen.includes(def.name)) throw new Error(`inheritance cycle: ${[...seen, def.name].join(' -> ')}`);
  const base = lookup(def.extends);
  if (!base) throw new Error(`unknown base entity: ${def.extends}`);
  const resolvedBase = resolveEntity(base, lookup, [...seen, def.name]);
  return {
    ...def,
    fields: [...resolvedBase.fields, ...def.fields],
    unique: [...(resolvedBase.unique ?? []), ...(def.unique ?? [])],
    indexes: [...(resolvedBase.indexes ?? []), ...(def.indexes ?? [])],
    actions: [...(resolvedBase.actions ?? []), ...(def.actions ?? [])],
  };
}
