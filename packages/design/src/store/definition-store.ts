/** Definitions live in the tenant's schema, versioned: the current one plus every past version. */
import { newId } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import type { PlanStep } from '../ddl/plan.ts';
import type { EntityDef } from '../types.ts';

export type StoredDefinition = {
  def: EntityDef;
  version: number;
  source: string;
  updatedAt: string;
  updatedBy: string | null;
};

type Row = {
  definition: EntityDef;
  version: number;
  source: string;
  updated_at: string;
  updated_by: string | null;
};

export async function loadDefinitions(db: Executor, schema: string): Promise<StoredDefinition[]> {
  const { rows } = await db.run<Row>(
    sql`SELECT definition, version, source, updated_at, updated_by FROM ${sql.id(schema, '_meta_entity')} ORDER BY name`,
  );
  return rows.map((r) => ({
    def: r.definition,
    version: r.version,
    source: r.source,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  }));
}

export async function saveDefinition(
  tx: Executor,
  schema: string,
  input: { def: EntityDef; version: number; source: string; user: string | null; plan: PlanStep[] },
): Promise<void> {
  const definition = JSON.stringify(input.def);
  await tx.run(sql`
    INSERT INTO ${sql.id(schema, '_meta_entity')} (name, definition, version, source, updated_by)
    VALUES (${input.def.name}, ${definition}::jsonb, ${input.version}, ${input.source}, ${input.user})
    ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, version = EXCLUDED.version,
      source = EXCLUDED.source, updated_by = EXCLUDED.updated_by, updated_at = now()`);
  await tx.run(sql`
    INSERT INTO ${sql.id(schema, '_meta_entity_history')} (id, name, version, definition, plan, changed_by)
    VALUES (${newId()}, ${input.def.name}, ${input.version}, ${definition}::jsonb,
            ${JSON.stringify(input.plan.map((s) => ({ op: s.op, description: s.description, destructive: s.destructive })))}::jsonb,
            ${input.user})`);
}

export type DefinitionHistoryEntry = {
  version: number;
  definition: EntityDef | null;
  plan: { op: string; description: string; destructive: boolean }[];
  changedBy: string | null;
  changedAt: string;
};

export async function definitionHistory(
  db: Executor,
  schema: string,
  name: string,
): Promise<DefinitionHistoryEntry[]> {
  const { rows } = await db.run<{
    version: number;
    definition: EntityDef | null;
    plan: DefinitionHistoryEntry['plan'];
    changed_by: string | null;
    changed_at: string;
  }>(sql`SELECT version, definition, plan, changed_by, changed_at FROM ${sql.id(schema, '_meta_entity_history')}
         WHERE name = ${name} ORDER BY version DESC`);
  return rows.map((r) => ({
    version: r.version,
    definition: r.definition,
    plan: r.plan,
    changedBy: r.changed_by,
    changedAt: r.changed_at,
  }));
}
