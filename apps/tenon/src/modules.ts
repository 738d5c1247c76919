/**
 * The composition root's list of modules: the only place that knows them. Each module contributes
 * entity definitions (registered from code in the designer's shape) and action handlers.
 */
import type { ActionRegistry } from '@tenon/design';

export type TenonModule = {
  name: string;
  entities: unknown[];
  registerActions?(registry: ActionRegistry): void;
};

export const modules: TenonModule[] = [];
