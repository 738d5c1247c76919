/** Decide, save and log one transition of a locked process (no cascades: the services add those). */
import type { Tx } from '@tenon/db';
import { decideTransition, type TransitionInput } from '../domain/transitions.ts';
import type { KernelEnv } from '../env.ts';
import type { Process } from '../types.ts';
import { updateProcess } from './process.repository.ts';
import { logTransition } from './process-log.ts';

export async function applyTransition(
  tx: Tx,
  env: KernelEnv,
  process: Process,
  transition: string,
  input: TransitionInput & {
    reason?: string | null | undefined;
    data?: Record<string, unknown> | null | undefined;
    context?: Record<string, unknown> | undefined;
  } = {},
): Promise<Process> {
  const at = env.clock.now().toISOString();
  const change = decideTransition(process, transition, input, at);
  const next = { ...process, ...change, context: input.context ?? process.context };
  const saved = await updateProcess(tx, env.definitions.tenant.schemaName, next, {
    at,
    by: env.actor.userId ?? env.actor.username,
  });
  await logTransition(tx, env, {
    process: saved,
    from: process.state,
    previousOperatorId: process.operatorId,
    transition,
    at,
    reason: input.reason,
    data: input.data,
  });
  return saved;
}
