import type { ActionRegistry } from './actions.ts';

/**
 * A module: entity definitions registered from code in the designer's shape, and the handlers of
 * the actions those entities declare. Only the composition root (apps/tenon) lists modules.
 */
export type ModuleDefinition = {
  name: string;
  entities: unknown[];
  registerActions?(registry: ActionRegistry): void;
};

export function defineModule(module: ModuleDefinition): ModuleDefinition {
  return module;
}
