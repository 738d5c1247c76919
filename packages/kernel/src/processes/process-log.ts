/** Every transition leaves a history row and a `process.state_changed` outbox event, in the same transaction. */
import { newId } from '@tenon/core';
import type { Tx } from '@tenon/db';
import { appendEvents } from '@tenon/design';
import type { KernelEnv } from '../env.ts';
import type { Process, ProcessState } from '../types.ts';
import { insertHistory } from './process.repository.ts';

export const PROCESS_STATE_CHANGED = 'process.state_changed';

export async function logTransition(
  tx: Tx,
  env: KernelEnv,
  entry: {
    process: Process;
    from: ProcessState | null;
    /** The operator before the transition (a handover or release takes the task from them). */
    previousOperatorId?: string | null;
    transition: string;
    at: string;
    reason?: string | null | undefined;
    data?: Record<string, unknown> | null | undefined;
  },
): Promise<void> {
  const schema = env.definitions.tenant.schemaName;
  const p = entry.process;
  await insertHistory(tx, schema, {
    id: newId(),
    pid: p.pid,
    at: entry.at,
    transition: entry.transition,
    fromState: entry.from,
    toState: p.state,
    actorId: env.actor.userId,
    actorName: env.actor.username,
    reason: entry.reason ?? null,
    data: entry.data ?? null,
  });
  await appendEvents(
    tx,
    schema,
    [
      {
        topic: PROCESS_STATE_CHANGED,
        entity: '_process',
        recordId: p.pid,
        payload: {
          pid: p.pid,
          service: p.service,
          from: entry.from,
          to: p.state,
          transition: entry.transition,
          operatorId: p.operatorId,
          previousOperatorId: entry.previousOperatorId ?? null,
          role: p.role,
          skills: p.skills,
          parentId: p.parentId,
          entity: p.entity,
          recordId: p.recordId,
          exitReason: p.exitReason,
        },
      },
    ],
    { actor: env.actor, cause: env.cause },
  );
}
