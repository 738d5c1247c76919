/**
 * The composition root's list of modules: the only place that knows them. Each module contributes
 * entity definitions (registered from code in the designer's shape) and action handlers.
 */
import type { ModuleDefinition } from '@tenon/design';
import { inventoryModule } from '@tenon/inventory';
import { orgModule } from '@tenon/org';

export const modules: ModuleDefinition[] = [orgModule, inventoryModule];
