/**
 * Why a process is not dispatched: its state or operator, or what the next round would say about it
 * (planned read-only over the same inputs, so capacity taken by processes ahead of it counts).
 */
import { AppError, isUuid } from '@tenon/core';
import type { Executor } from '@tenon/db';
import type { KernelEnv } from '../../env.ts';
import { ProcessErrors } from '../../processes/errors.ts';
import { getProcess } from '../../processes/process.repository.ts';
import type { ProcessState } from '../../types.ts';
import { loadRound } from '../dispatch.repository.ts';
import {
  DEFAULT_DISPATCH_OPTIONS,
  type DispatchOptions,
  effectivePriority,
  planDispatch,
} from '../domain/plan-dispatch.ts';

export type DispatchExplanation = {
  pid: string;
  state: ProcessState;
  dispatchable: boolean;
  code: string;
  reason: string;
  operatorId: string | null;
  effectivePriority?: number;
};

export async function explainDispatch(
  ex: Executor,
  env: KernelEnv,
  input: { pid: string; options?: Partial<DispatchOptions> },
): Promise<DispatchExplanation> {
  const schema = env.definitions.tenant.schemaName;
  const p = isUuid(input.pid) ? await getProcess(ex, schema, input.pid) : null;
  if (!p) throw new AppError(ProcessErrors.KERNEL_PROCESS_NOT_FOUND, { pid: input.pid });
  const base = { pid: p.pid, state: p.state, operatorId: p.operatorId };
  if (p.state !== 'READY') {
    const why =
      p.state === 'WAITING' ? ` waiting for ${p.waitReason}` : p.state === 'NEW' ? ' not yet admitted' : '';
    return { ...base, dispatchable: false, code: 'not_ready', reason: `state ${p.state}${why}` };
  }
  if (p.operatorId) {
    return { ...base, dispatchable: false, code: 'assigned', reason: `assigned to ${p.operatorId}` };
  }
  const round = await loadRound(ex, env, { lock: false, limit: 20_000 });
  const options = { ...DEFAULT_DISPATCH_OPTIONS, ...input.options };
  const mine = round.processes.find((x) => x.pid === p.pid);
  const plan = planDispatch({ ...round, options });
  const effective = mine ? effectivePriority(mine, round.now, options).value : undefined;
  const extra = effective === undefined ? {} : { effectivePriority: effective };
  if (plan.assignments.some((a) => a.pid === p.pid)) {
    return {
      ...base,
      ...extra,
      dispatchable: true,
      code: 'next_round',
      reason: 'the next dispatch round assigns it',
    };
  }
  const w = plan.waiting.find((x) => x.pid === p.pid);
  if (!w)
    return { ...base, ...extra, dispatchable: false, code: 'not_considered', reason: 'beyond this round' };
  return { ...base, ...extra, dispatchable: false, code: w.code, reason: w.reason };
}
