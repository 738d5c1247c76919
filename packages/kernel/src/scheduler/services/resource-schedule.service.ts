/** A resource's schedule: its allocations (bookings and holds, released ones marked) in a time range. */
import { AppError, isInstant, isUuid } from '@tenon/core';
import type { Executor } from '@tenon/db';
import type { KernelEnv } from '../../env.ts';
import { SchedulerErrors } from '../errors.ts';
import {
  type AllocationRow,
  listAllocations,
  loadResources,
  type ResourceInfo,
} from '../resource.repository.ts';

export async function resourceSchedule(
  ex: Executor,
  env: KernelEnv,
  input: { resourceId: string; from?: string; to?: string },
): Promise<{
  resource: Omit<ResourceInfo, 'calendar'> & { calendar: unknown };
  allocations: AllocationRow[];
}> {
  for (const f of ['from', 'to'] as const) {
    const v = input[f];
    if (v !== undefined && !isInstant(v)) {
      throw new AppError(SchedulerErrors.KERNEL_SCHEDULE_QUERY_INVALID, {}, [
        { field: f, code: 'invalid', message: 'an instant with an offset' },
      ]);
    }
  }
  const schema = env.definitions.tenant.schemaName;
  const [resource] = isUuid(input.resourceId)
    ? await loadResources(ex, schema, { ids: [input.resourceId] })
    : [];
  if (!resource) throw new AppError(SchedulerErrors.KERNEL_RESOURCE_NOT_FOUND, { id: input.resourceId });
  const allocations = await listAllocations(ex, schema, {
    resourceId: resource.id,
    ...(input.from ? { from: input.from } : {}),
    ...(input.to ? { to: input.to } : {}),
  });
  return { resource, allocations };
}
