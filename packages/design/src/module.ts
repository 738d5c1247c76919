import type { MigrationSet } from '@tenon/db';
import type { ActionRegistry } from './actions.ts';

/**
 * A module: entity definitions registered from code in the designer's shape, the handlers of the
 * actions those entities declare, and the module's own tables (ledgers, balances) as migrations.
 * Only the composition root (apps/tenon) lists modules; tests pass them to `createTestServer`.
 */
export type ModuleDefinition = {
  name: string;
  entities: unknown[];
  registerActions?(registry: ActionRegistry): void;
  /** Tables the module owns outside the metamodel, created in every tenant schema before its entities. */
  migrations?: MigrationSet;
};

export function defineModule(module: ModuleDefinition): ModuleDefinition {
  return module;
}
