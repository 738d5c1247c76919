import { type Database, type MigrationSet, registerMigrations, type Tenant } from '@tenon/db';
import type { ActionRegistry } from './actions.ts';
import type { ObjectKind, ObjectKindRegistry } from './objects/object-kinds.ts';
import type { MetamodelCache } from './registry.ts';
import { applyDefinitions } from './services/apply-definitions.service.ts';
import { saveObject } from './services/save-object.service.ts';

/**
 * A module: entity definitions registered from code in the designer's shape, the handlers of the
 * actions those entities declare, the module's own tables (ledgers, balances) as migrations, and the
 * kinds and objects of design-side definitions it brings (the kernel's services, rules, resource types).
 * Only the composition root (apps/tenon) lists modules; tests pass them to `createTestServer`.
 */
export type ModuleDefinition = {
  name: string;
  /** How the console names the module (its entities' menu group), in zh-CN and English. */
  label?: { 'zh-CN': string; en: string };
  entities: unknown[];
  registerActions?(registry: ActionRegistry): void;
  /** Tables the module owns outside the metamodel, created in every tenant schema before its entities. */
  migrations?: MigrationSet;
  /** Kinds of design objects the module defines (registered once per process). */
  objectKinds?: ObjectKind[];
  /** Design objects the module owns in every tenant (source `module:<name>`; users cannot delete them). */
  objects?: { kind: string; definition: unknown }[];
};

export function defineModule(module: ModuleDefinition): ModuleDefinition {
  return module;
}

/** Once per process, before the database is migrated: the modules' migrations, actions and object kinds. */
export function registerModules(
  modules: readonly ModuleDefinition[],
  into: { actions: ActionRegistry; objectKinds: ObjectKindRegistry },
): void {
  for (const mod of modules) {
    if (mod.migrations) registerMigrations(mod.migrations);
    mod.registerActions?.(into.actions);
    for (const kind of mod.objectKinds ?? []) into.objectKinds.register(kind);
  }
}

/** Brings one tenant's module-owned entities, then design objects, up to date (idempotent). */
export async function applyModuleDefinitions(
  db: Database,
  deps: { metamodels: MetamodelCache; objectKinds: ObjectKindRegistry },
  tenant: Tenant,
  modules: readonly ModuleDefinition[],
): Promise<void> {
  for (const mod of modules) {
    const source = `module:${mod.name}`;
    if (mod.entities.length > 0) {
      const metamodel = await deps.metamodels.forTenant(tenant);
      const result = await applyDefinitions(db, metamodel, mod.entities, { mode: 'upsert', source });
      if (result.applied) deps.metamodels.invalidate(tenant.name);
    }
    for (const object of mod.objects ?? []) {
      await saveObject(db, {
        kinds: deps.objectKinds,
        metamodel: await deps.metamodels.forTenant(tenant),
        kind: object.kind,
        definition: object.definition,
        mode: 'upsert',
        source,
      });
    }
  }
}
