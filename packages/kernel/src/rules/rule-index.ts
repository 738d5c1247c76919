/**
 * Enabled rules of a tenant, compiled once per version and indexed by the outbox topic they hear.
 * Keyed by the definitions snapshot, which the kernel's definitions cache replaces on every save.
 */
import type { CompiledExpr, StoredObject } from '@tenon/design';
import type { TenantKernelDefinitions } from '../definitions/kernel-definitions.ts';
import { type EventShape, listenedTopic, matchesEvent } from './domain/match-rule.ts';
import type { RuleDef } from './rule.types.ts';
import { compileRuleExpr } from './rule-expressions.ts';

export type CompiledRule = {
  name: string;
  version: number;
  def: RuleDef;
  /** null: no condition (always true); an Error: the stored condition no longer compiles. */
  condition: CompiledExpr | Error | null;
};

type Index = { byTopic: Map<string, CompiledRule[]>; byName: Map<string, CompiledRule> };

const indexes = new WeakMap<readonly StoredObject[], Index>();
const compiled = new Map<string, CompiledRule>();

export function compileRule(def: RuleDef, version: number): CompiledRule {
  let condition: CompiledRule['condition'] = null;
  if (def.condition !== undefined) {
    try {
      condition = compileRuleExpr(def.condition);
    } catch (error) {
      condition = error instanceof Error ? error : new Error(String(error));
    }
  }
  return { name: def.name, version, def, condition };
}

function indexOf(defs: TenantKernelDefinitions): Index {
  let index = indexes.get(defs.rules);
  if (index) return index;
  index = { byTopic: new Map(), byName: new Map() };
  for (const stored of defs.rules) {
    const def = stored.definition as unknown as RuleDef;
    const key = `${defs.tenant.name}/${stored.name}@${stored.version}`;
    let rule = compiled.get(key);
    if (!rule) {
      rule = compileRule(def, stored.version);
      if (compiled.size > 5000) compiled.clear();
      compiled.set(key, rule);
    }
    index.byName.set(rule.name, rule);
    if (def.enabled === false) continue;
    const topic = listenedTopic(def.event);
    const list = index.byTopic.get(topic) ?? [];
    list.push(rule);
    index.byTopic.set(topic, list);
  }
  indexes.set(defs.rules, index);
  return index;
}

/** Enabled rules whose event clause matches, in name order (a stable order for cascades and logs). */
export function rulesFor(defs: TenantKernelDefinitions, event: EventShape): CompiledRule[] {
  const candidates = indexOf(defs).byTopic.get(event.topic) ?? [];
  return candidates
    .filter((r) => matchesEvent(r.def.event, event))
    .filter((r) => r.def.event.topic !== 'cron' || event.payload.schedule === r.name)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function findRule(defs: TenantKernelDefinitions, name: string): CompiledRule | undefined {
  return indexOf(defs).byName.get(name);
}

/**
 * The cron schedules the tenant's enabled `cron` rules ask for (schedule name = rule name), for the
 * kernel runtime to keep in step with the cron service (`upsertSchedule` / `removeSchedule`).
 */
export function cronSchedulesOf(defs: TenantKernelDefinitions): { name: string; cron: string; tz: string }[] {
  return [...indexOf(defs).byName.values()]
    .filter((r) => r.def.enabled !== false && r.def.event.topic === 'cron' && r.def.event.schedule)
    .map((r) => ({ name: r.name, cron: r.def.event.schedule!.cron, tz: r.def.event.schedule!.tz ?? 'UTC' }));
}
