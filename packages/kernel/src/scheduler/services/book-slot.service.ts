/**
 * Books a future slot for a new process of a service (an appointment, a work-order operation): lock the
 * candidate resources in id order -> pick one per requirement that works then and has capacity left ->
 * create the process (scheduled start/end) -> write its bookings. All or nothing: a conflict is a 409
 * naming the resource and the clashing slot, and nothing is written.
 */
import { AppError, isInstant, isUuid } from '@tenon/core';
import type { Tx } from '@tenon/db';
import type { KernelEnv } from '../../env.ts';
import { ProcessErrors } from '../../processes/errors.ts';
import { createProcess } from '../../services/create-process.service.ts';
import type { Process } from '../../types.ts';
import { pickResources } from '../domain/pick-resources.ts';
import { SchedulerErrors } from '../errors.ts';
import { type AllocationRow, insertAllocations, loadResources, loadUses } from '../resource.repository.ts';

export type BookSlotInput = {
  service: string;
  entity?: string | null;
  recordId?: string | null;
  /** The slot's start (an instant with an offset). */
  start: string;
  priority?: number;
  context?: Record<string, unknown>;
};

export type Booking = { process: Process; allocations: AllocationRow[] };

const invalid = (reason: string) =>
  new AppError(SchedulerErrors.KERNEL_BOOKING_INVALID, { reason }, [
    { field: reason.split(' ')[0]!, code: 'invalid', message: reason },
  ]);

export async function bookSlot(tx: Tx, env: KernelEnv, input: BookSlotInput): Promise<Booking> {
  const schema = env.definitions.tenant.schemaName;
  const service = env.definitions.services.get(input.service);
  if (!service) throw new AppError(ProcessErrors.KERNEL_SERVICE_NOT_FOUND, { service: input.service });
  if (typeof input.start !== 'string' || !isInstant(input.start)) throw invalid('start must be an instant');
  if (input.recordId != null && !isUuid(input.recordId)) throw invalid('recordId must be a uuid');
  const start = new Date(input.start).getTime();
  if (start < env.clock.now().getTime()) throw invalid('start is in the past');
  const requirements = service.resources ?? [];
  const duration = service.durationMinutes ?? Math.max(60, ...requirements.map((r) => r.minutes ?? 0));
  const longest = Math.max(duration, ...requirements.map((r) => r.minutes ?? 0));
  const types = [...new Set(requirements.map((r) => r.type))];
  const resources = await loadResources(tx, schema, { types, lock: true });
  const uses = await loadUses(tx, schema, {
    resourceIds: resources.map((r) => r.id),
    from: start,
    to: start + longest * 60_000,
  });
  const picks = pickResources({
    requirements,
    candidates: resources.map((r) => ({ ...r, uses: uses.get(r.id) ?? [] })),
    start,
    defaultMinutes: duration,
  });
  const process = await createProcess(tx, env, {
    service: input.service,
    entity: input.entity ?? null,
    recordId: input.recordId ?? null,
    ...(input.priority !== undefined ? { priority: input.priority } : {}),
    ...(input.context !== undefined ? { context: input.context } : {}),
    scheduledStart: new Date(start).toISOString(),
    scheduledEnd: new Date(start + duration * 60_000).toISOString(),
  });
  const allocations = await insertAllocations(tx, schema, {
    items: [{ pid: process.pid, picks }],
    kind: 'booking',
    by: env.actor.userId ?? env.actor.username,
  });
  return { process, allocations };
}
