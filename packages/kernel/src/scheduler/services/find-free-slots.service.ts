/** Free windows of the resources of one type: working time where one more unit fits, at least `minutes` long. */
import { AppError, isInstant } from '@tenon/core';
import type { Executor } from '@tenon/db';
import type { KernelEnv } from '../../env.ts';
import { freeWindows } from '../domain/capacity.ts';
import { SchedulerErrors } from '../errors.ts';
import { loadResources, loadUses } from '../resource.repository.ts';

export type FreeSlot = { resourceId: string; resource: string; name: string; start: string; end: string };

const MAX_RANGE = 62 * 86_400_000;
const bad = (field: string, message: string) =>
  new AppError(SchedulerErrors.KERNEL_SCHEDULE_QUERY_INVALID, {}, [{ field, code: 'invalid', message }]);

export async function findFreeSlots(
  ex: Executor,
  env: KernelEnv,
  input: { type: string; from: string; to: string; minutes: number },
): Promise<FreeSlot[]> {
  if (typeof input.type !== 'string' || input.type === '') throw bad('type', 'a resource type is required');
  if (!isInstant(input.from)) throw bad('from', 'an instant with an offset');
  if (!isInstant(input.to)) throw bad('to', 'an instant with an offset');
  if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > 1440) {
    throw bad('minutes', 'an integer from 1 to 1440');
  }
  const from = new Date(input.from).getTime();
  const to = new Date(input.to).getTime();
  if (to <= from || to - from > MAX_RANGE) throw bad('to', 'after from, at most 62 days later');
  const schema = env.definitions.tenant.schemaName;
  const resources = await loadResources(ex, schema, { types: [input.type] });
  const uses = await loadUses(ex, schema, { resourceIds: resources.map((r) => r.id), from, to });
  const out: FreeSlot[] = [];
  for (const r of resources) {
    if (r.calendar === 'invalid') continue;
    const windows = freeWindows({
      calendar: r.calendar,
      capacity: r.capacity,
      uses: uses.get(r.id) ?? [],
      quantity: 1,
      from,
      to,
      minutes: input.minutes,
    });
    for (const w of windows) {
      out.push({
        resourceId: r.id,
        resource: r.code,
        name: r.name,
        start: new Date(w.start).toISOString(),
        end: new Date(w.end).toISOString(),
      });
    }
  }
  return out.sort((a, b) => a.start.localeCompare(b.start) || a.resource.localeCompare(b.resource));
}
