/**
 * Changing the metamodel: normalise the definitions, diff them into a DDL plan, refuse data loss
 * unless confirmed, then run the DDL and store the new versions in one transaction.
 */

import { AppError, canonicalJson } from '@tenon/core';
import { compile, type Database, isRetryable, type RawBuilder, sql } from '@tenon/db';
import { tableModelOf } from '../ddl/physical.ts';
import { isDestructive, type PlanStep, planTableChange } from '../ddl/plan.ts';
import { renderStep } from '../ddl/render.ts';
import { MetaErrors } from '../errors.ts';
import { missingKeyProblems } from '../records/encryption.ts';
import type { TenantMetamodel } from '../registry.ts';
import { resolveEntity } from '../resolve.ts';
import { announceDefinitionChange } from '../store/definition-changes.ts';
import { saveDefinition } from '../store/definition-store.ts';
import type { EntityDef } from '../types.ts';
import { normalizeEntity } from '../validate-definition.ts';

export type ApplyMode = 'create' | 'update' | 'upsert';

export type ApplyOptions = {
  mode: ApplyMode;
  dryRun?: boolean;
  /** Allows steps that drop or narrow data. */
  confirm?: boolean;
  user?: string | null;
  /** `user`, or `module:<name>` for built-in definitions registered from code. */
  source?: string;
};

export type PlannedStep = {
  entity: string;
  op: string;
  description: string;
  destructive: boolean;
  sql: string[];
};

export type ApplyResult = {
  applied: boolean;
  entities: { name: string; version: number; changed: boolean }[];
  plan: PlannedStep[];
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function mergeWithPrevious(
  input: Record<string, unknown>,
  previous: EntityDef | undefined,
  source: string,
): Record<string, unknown> {
  if (!previous) return input;
  const merged: Record<string, unknown> = { ...previous, ...input, name: previous.name };
  if (source.startsWith('module:') && Array.isArray(input.fields)) {
    // A module re-registering its entity keeps the custom fields users added to it.
    const names = new Set((input.fields as { name?: string }[]).map((f) => f.name));
    merged.fields = [...(input.fields as unknown[]), ...previous.fields.filter((f) => !names.has(f.name))];
  }
  return merged;
}

function checkModuleOwnership(next: EntityDef, previous: EntityDef | undefined, source: string): void {
  if (!previous?.module || source !== 'user') return;
  const nextFields = new Map(next.fields.map((f) => [f.name, f]));
  const changed = previous.fields.some((f) => canonicalJson(nextFields.get(f.name)) !== canonicalJson(f));
  const core = (d: EntityDef) =>
    canonicalJson({ ...d, fields: undefined, label: undefined, description: undefined });
  if (changed || core(next) !== core(previous)) {
    throw new AppError(MetaErrors.META_ENTITY_OWNED_BY_MODULE, {
      entity: previous.name,
      module: previous.module,
    });
  }
}

function stripTransient(def: EntityDef): { def: EntityDef; renames: Record<string, string> } {
  const renames: Record<string, string> = {};
  const fields = def.fields.map((f) => {
    if (!f.renamedFrom) return f;
    renames[f.renamedFrom] = f.name;
    const { renamedFrom: _, ...rest } = f;
    return rest;
  });
  return { def: { ...def, fields }, renames };
}

export async function applyDefinitions(
  db: Database,
  metamodel: TenantMetamodel,
  inputs: unknown[],
  options: ApplyOptions,
): Promise<ApplyResult> {
  const source = options.source ?? 'user';
  const schema = metamodel.tenant.schemaName;
  const current = new Map(metamodel.definitions().map((d) => [d.def.name, d]));
  const next = new Map<string, EntityDef>([...current].map(([n, d]) => [n, d.def]));
  const lookupNext = (n: string) => next.get(n);
  const lookupOld = (n: string) => current.get(n)?.def;

  // Batch members can refer to each other: make their raw shapes visible before normalising.
  for (const input of inputs) {
    if (isObject(input) && typeof input.name === 'string' && !next.has(input.name)) {
      next.set(input.name, { fields: [], label: {}, ...(input as object) } as unknown as EntityDef);
    }
  }

  const changedNames: string[] = [];
  const renamesByEntity = new Map<string, Record<string, string>>();
  for (const input of inputs) {
    if (!isObject(input)) {
      throw new AppError(MetaErrors.META_DEFINITION_INVALID, { entity: '?' }, [
        { field: '', code: 'invalid', message: 'each definition must be a JSON object' },
      ]);
    }
    const name = typeof input.name === 'string' ? input.name : undefined;
    const previous = name ? current.get(name)?.def : undefined;
    if (options.mode === 'create' && previous)
      throw new AppError(MetaErrors.META_ENTITY_EXISTS, { entity: name });
    if (options.mode === 'update' && !previous)
      throw new AppError(MetaErrors.META_ENTITY_NOT_FOUND, { entity: name ?? '?' });
    const merged = mergeWithPrevious(input, previous, source);
    const taken = new Set([...current.keys(), ...changedNames]);
    const normalized = normalizeEntity(merged, {
      lookup: lookupNext,
      takenNames: taken,
      ...(previous ? { previous } : {}),
    });
    checkModuleOwnership(normalized, previous, source);
    const keyProblems = missingKeyProblems(normalized, metamodel.cipher);
    if (keyProblems.length > 0)
      throw new AppError(MetaErrors.META_DEFINITION_INVALID, { entity: normalized.name }, keyProblems);
    const { def, renames } = stripTransient(normalized);
    const unknownRenames = Object.keys(renames).filter(
      (from) => !previous?.fields.some((f) => f.name === from),
    );
    if (unknownRenames.length > 0) {
      throw new AppError(
        MetaErrors.META_DEFINITION_INVALID,
        { entity: def.name },
        unknownRenames.map((from) => ({
          field: `fields.${renames[from]}.renamedFrom`,
          code: 'unknown_field',
          message: `there is no field ${from} to rename`,
        })),
      );
    }
    next.set(def.name, def);
    renamesByEntity.set(def.name, renames);
    changedNames.push(def.name);
  }

  // Entities inheriting from a changed base change too.
  const affected = new Set(changedNames);
  const inherits = (def: EntityDef, base: string): boolean =>
    def.extends === base ||
    (def.extends !== undefined &&
      next.get(def.extends) !== undefined &&
      inherits(next.get(def.extends)!, base));
  for (const def of next.values()) {
    if (changedNames.some((c) => inherits(def, c))) affected.add(def.name);
  }

  const plan: { entity: string; step: PlanStep }[] = [];
  for (const name of affected) {
    const before = current.get(name)?.def;
    const after = next.get(name)!;
    const oldTable = before && !before.abstract ? tableModelOf(resolveEntity(before, lookupOld)) : null;
    const newTable = after.abstract ? null : tableModelOf(resolveEntity(after, lookupNext));
    for (const step of planTableChange(oldTable, newTable, renamesByEntity.get(name) ?? {}))
      plan.push({ entity: name, step });
  }

  // Tables first, then everything that may point at them.
  const phaseOne: RawBuilder<unknown>[] = [];
  const phaseTwo: RawBuilder<unknown>[] = [];
  const planned: PlannedStep[] = plan.map(({ entity, step }) => {
    const statements = renderStep(schema, step);
    if (step.op === 'create_table') {
      phaseOne.push(statements[0]!);
      phaseTwo.push(...statements.slice(1));
    } else phaseTwo.push(...statements);
    return {
      entity,
      op: step.op,
      description: step.description,
      destructive: step.destructive,
      sql: statements.map((s) => compile(s).text),
    };
  });

  const versions = changedNames.map((name) => {
    const before = current.get(name);
    const unchanged = before !== undefined && canonicalJson(before.def) === canonicalJson(next.get(name));
    return { name, version: unchanged ? before.version : (before?.version ?? 0) + 1, changed: !unchanged };
  });

  if (options.dryRun) return { applied: false, entities: versions, plan: planned };
  if (isDestructive(plan.map((p) => p.step)) && !options.confirm) {
    throw new AppError(
      MetaErrors.META_DESTRUCTIVE_CHANGE,
      {},
      planned
        .filter((p) => p.destructive)
        .map((p) => ({ field: p.entity, code: p.op, message: p.description })),
    );
  }
  if (versions.every((v) => !v.changed) && planned.length === 0)
    return { applied: false, entities: versions, plan: [] };

  await db.transaction(async (tx) => {
    await tx.run(sql`SELECT pg_advisory_xact_lock(hashtext(${`tenon.meta.${schema}`}))`);
    await announceDefinitionChange(tx, metamodel.tenant.name, 'entity');
    // The plan was made from `current`: refuse it if another change was applied meanwhile.
    const stored = await tx.run<{ name: string; version: number }>(
      sql`SELECT name, version FROM ${sql.id(schema, '_meta_entity')}`,
    );
    const versionOf = new Map(stored.rows.map((r) => [r.name, r.version]));
    for (const name of affected) {
      if ((versionOf.get(name) ?? 0) !== (current.get(name)?.version ?? 0)) {
        const reason = `${name} was changed meanwhile; reload it and try again`;
        throw new AppError(MetaErrors.META_SCHEMA_SYNC_FAILED, { reason });
      }
    }
    for (const statement of [...phaseOne, ...phaseTwo]) {
      try {
        await tx.run(statement);
      } catch (err) {
        if (isRetryable(err)) throw err;
        throw new AppError(MetaErrors.META_SCHEMA_SYNC_FAILED, { reason: (err as Error).message });
      }
    }
    for (const v of versions) {
      if (!v.changed) continue;
      const stepsOf = plan.filter((p) => p.entity === v.name).map((p) => p.step);
      await saveDefinition(tx, schema, {
        def: next.get(v.name)!,
        version: v.version,
        source,
        user: options.user ?? null,
        plan: stepsOf,
      });
    }
  });
  return { applied: true, entities: versions, plan: planned };
}
