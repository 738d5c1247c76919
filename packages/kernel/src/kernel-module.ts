/**
 * The kernel as a module of the composition root: its tables in every tenant schema, the `resource`
 * entity, the kinds of its design objects (services, rules, resource types) and the built-in resource
 * types of the first seed, owned by the kernel so that users can add to them but not delete them.
 */
import type { MigrationSet } from '@tenon/db';
import { defineModule } from '@tenon/design';
import { BUILTIN_RESOURCE_TYPES, resourceTypeKind } from './definitions/resource-type.kind.ts';
import { serviceKind } from './definitions/service.kind.ts';
import { eventsMigrations } from './events/events.migrations.ts';
import { processMigrations } from './processes/process.migrations.ts';
import { resourceEntity } from './resources/resource.entity.ts';
import { ruleKind } from './rules/rule.kind.ts';
import { rulesMigrations } from './rules/rules.migrations.ts';
import { schedulerMigrations } from './scheduler/scheduler.migrations.ts';

/** Processes first: allocations, timers and rule runs refer to them. */
export const kernelMigrations: MigrationSet = {
  name: 'kernel',
  tenant: [...processMigrations, ...schedulerMigrations, ...eventsMigrations, ...rulesMigrations],
};

export const kernelModule = defineModule({
  name: 'kernel',
  label: { 'zh-CN': '资源管理', en: 'Resources' },
  entities: [resourceEntity],
  migrations: kernelMigrations,
  objectKinds: [serviceKind, resourceTypeKind, ruleKind],
  objects: BUILTIN_RESOURCE_TYPES.map((definition) => ({ kind: 'resource_type', definition })),
});
