/**
 * Creates a process of a service: NEW, then admitted to READY, unless it follows an unfinished
 * predecessor (then READY -> WAITING on the predecessor) or its scheduled start is still to come (it
 * stays NEW until the scheduler admits it). Due from the service's SLA; role and skills from the service.
 */
import { AppError, isInstant, isUuid, newId } from '@tenon/core';
import type { Tx } from '@tenon/db';
import type { KernelEnv } from '../env.ts';
import { applyTransition } from '../processes/apply-transition.ts';
import { ProcessErrors } from '../processes/errors.ts';
import { getProcess, insertProcess } from '../processes/process.repository.ts';
import { logTransition } from '../processes/process-log.ts';
import type { Process } from '../types.ts';

export type CreateProcessInput = {
  service: string;
  entity?: string | null;
  recordId?: string | null;
  parentId?: string | null;
  predecessorId?: string | null;
  priority?: number;
  dueAt?: string | null;
  scheduledStart?: string | null;
  scheduledEnd?: string | null;
  context?: Record<string, unknown>;
  operatorId?: string | null;
  role?: string | null;
  skills?: string[];
};

const invalid = (reason: string) => new AppError(ProcessErrors.KERNEL_PROCESS_INPUT_INVALID, { reason });

function checkInstant(name: string, value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (!isInstant(value)) throw invalid(`${name} must be an instant with an offset`);
  return new Date(value).toISOString();
}

export async function createProcess(tx: Tx, env: KernelEnv, input: CreateProcessInput): Promise<Process> {
  const schema = env.definitions.tenant.schemaName;
  const service = env.definitions.services.get(input.service);
  if (!service) throw new AppError(ProcessErrors.KERNEL_SERVICE_NOT_FOUND, { service: input.service });
  const entity = input.entity ?? service.bindsTo ?? null;
  if (service.bindsTo && entity !== service.bindsTo) throw invalid(`service binds to ${service.bindsTo}`);
  if (entity && !env.metamodel.find(entity)) throw invalid(`unknown entity ${entity}`);
  const recordId = input.recordId ?? null;
  if (recordId !== null && !isUuid(recordId)) throw invalid('recordId must be a uuid');
  if (recordId !== null && entity === null) throw invalid('recordId needs an entity');
  const priority = input.priority ?? service.priority ?? 50;
  if (!Number.isInteger(priority) || priority < 0 || priority > 100) throw invalid('priority is 0-100');
  const now = env.clock.now();
  const at = now.toISOString();
  const scheduledStart = checkInstant('scheduledStart', input.scheduledStart);
  const scheduledEnd = checkInstant('scheduledEnd', input.scheduledEnd);
  const slaDue = service.slaMinutes
    ? new Date(now.getTime() + service.slaMinutes * 60_000).toISOString()
    : null;
  const dueAt = checkInstant('dueAt', input.dueAt) ?? slaDue;
  if (input.context !== undefined && (typeof input.context !== 'object' || Array.isArray(input.context))) {
    throw invalid('context must be an object');
  }
  for (const [name, id] of [
    ['parentId', input.parentId],
    ['predecessorId', input.predecessorId],
  ] as const) {
    if (id !== undefined && id !== null && !isUuid(id)) throw invalid(`${name} must be a uuid`);
  }
  const parent = input.parentId ? await getProcess(tx, schema, input.parentId) : null;
  if (input.parentId && !parent)
    throw new AppError(ProcessErrors.KERNEL_PROCESS_NOT_FOUND, { pid: input.parentId });
  if (parent?.state === 'TERMINATED') throw invalid('the parent process has ended');
  const predecessor = input.predecessorId ? await getProcess(tx, schema, input.predecessorId) : null;
  if (input.predecessorId && !predecessor) {
    throw new AppError(ProcessErrors.KERNEL_PROCESS_NOT_FOUND, { pid: input.predecessorId });
  }
  if (predecessor?.state === 'TERMINATED' && predecessor.exitReason !== 'done') {
    throw invalid('the predecessor ended without being done');
  }

  const created = await insertProcess(tx, schema, {
    pid: newId(),
    service: service.name,
    state: 'NEW',
    parentId: parent?.pid ?? null,
    predecessorId: predecessor?.pid ?? null,
    entity,
    recordId,
    operatorId: input.operatorId ?? null,
    role: input.role !== undefined ? input.role : (service.role ?? null),
    skills: input.skills ?? service.skills ?? [],
    priority,
    dueAt,
    scheduledStart,
    scheduledEnd,
    startedAt: null,
    endedAt: null,
    readySince: null,
    context: input.context ?? {},
    waitReason: null,
    waitOn: null,
    exitReason: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: env.actor.userId ?? env.actor.username,
  });
  await logTransition(tx, env, { process: created, from: null, transition: 'create', at });
  if (scheduledStart && scheduledStart > at) return created;
  const ready = await applyTransition(tx, env, created, 'admit');
  if (predecessor && predecessor.state !== 'TERMINATED') {
    return applyTransition(tx, env, ready, 'wait', {
      waitReason: 'predecessor',
      waitOn: { pid: predecessor.pid },
    });
  }
  return ready;
}
