import { type Clock, datePartsIn } from '@tenon/core';
import type { CompiledEntity } from '@tenon/design';

/** The business date in the tenant's time zone. */
export function today(clock: Clock, entity: CompiledEntity): string {
  const p = datePartsIn(clock.now(), entity.tenant.settings.timeZone ?? 'UTC');
  return `${p.year}-${p.month}-${p.day}`;
}
