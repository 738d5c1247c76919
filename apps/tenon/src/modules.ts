/**
 * The composition root's list of modules: the only place that knows them. Each module contributes
 * entity definitions (registered from code in the designer's shape), action handlers, its own tables
 * and design objects. The kernel comes first: modules build on its processes and resources.
 */
import type { ModuleDefinition } from '@tenon/design';
import { inventoryModule, inventoryRoutes } from '@tenon/inventory';
import { kernelModule } from '@tenon/kernel';
import { orgModule } from '@tenon/org';
import { consoleModule, type ModuleRoutes } from '@tenon/server';
import { wmsModule, wmsRoutes } from '@tenon/wms';

export const modules: ModuleDefinition[] = [
  kernelModule,
  consoleModule,
  orgModule,
  inventoryModule,
  wmsModule,
];

/** The modules' own endpoints, in the same order. */
export const moduleRoutes: ModuleRoutes[] = [inventoryRoutes, wmsRoutes];
