/**
 * Moves a process: lock FOR UPDATE, decide through the transition table, save, history row, outbox event.
 * Then what follows from it: a service with steps spawns its children on start and waits for them; a
 * parent ends only after its children (cancel with `cascade` cancels the subtree, children first; fail
 * and time_out cancel the children); the last child to end wakes a parent waiting on children; a done
 * process wakes its successor in a chain, one that ends otherwise cancels it.
 */
import { AppError, CoreErrors, isUuid, validationError } from '@tenon/core';
import type { Tx } from '@tenon/db';
import { validateServiceForm } from '../domain/process-form.ts';
import { isTransitionName, TRANSITIONS } from '../domain/transitions.ts';
import type { KernelEnv } from '../env.ts';
import { applyTransition } from '../processes/apply-transition.ts';
import { ProcessErrors } from '../processes/errors.ts';
import {
  countLiveChildren,
  listChildren,
  liveSuccessors,
  lockProcess,
} from '../processes/process.repository.ts';
import type { Process, WaitReason } from '../types.ts';
import { createProcess } from './create-process.service.ts';

export type TransitionProcessInput = {
  pid: string;
  transition: string;
  operatorId?: string | null;
  /** complete: the service form's data; otherwise kept in the history row. */
  data?: Record<string, unknown>;
  reason?: string;
  expectedVersion?: number;
  /** cancel: cancel the whole subtree (children first). */
  cascade?: boolean;
  waitReason?: WaitReason;
  waitOn?: Record<string, unknown>;
};

/** Parents whose subtree is being ended right now: their children do not wake them. */
type Cascade = { ending: Set<string> };

export async function transitionProcess(
  tx: Tx,
  env: KernelEnv,
  input: TransitionProcessInput,
): Promise<Process> {
  if (!isTransitionName(input.transition)) {
    throw new AppError(ProcessErrors.KERNEL_UNKNOWN_TRANSITION, { transition: input.transition });
  }
  const process = await lockOrThrow(tx, env, input.pid);
  if (input.expectedVersion !== undefined && process.version !== input.expectedVersion) {
    throw new AppError(CoreErrors.VERSION_CONFLICT, { current: process.version });
  }
  return run(tx, env, process, input, { ending: new Set() });
}

async function lockOrThrow(tx: Tx, env: KernelEnv, pid: string): Promise<Process> {
  const found = isUuid(pid) ? await lockProcess(tx, env.definitions.tenant.schemaName, pid) : null;
  if (!found) throw new AppError(ProcessErrors.KERNEL_PROCESS_NOT_FOUND, { pid });
  return found;
}

async function run(
  tx: Tx,
  env: KernelEnv,
  initial: Process,
  input: TransitionProcessInput,
  cascade: Cascade,
): Promise<Process> {
  const schema = env.definitions.tenant.schemaName;
  const t = input.transition as keyof typeof TRANSITIONS;
  const rule = TRANSITIONS[t];
  let process = initial;
  let context = process.context;
  if (rule.from.includes(process.state) && rule.to === 'TERMINATED') {
    const live = await countLiveChildren(tx, schema, process.pid);
    if (live > 0) {
      if (t === 'complete' || (t === 'cancel' && !input.cascade)) {
        throw new AppError(ProcessErrors.KERNEL_CHILDREN_RUNNING, { count: live });
      }
      cascade.ending.add(process.pid);
      await cancelChildren(tx, env, process.pid, `parent ${t}`, cascade);
      process = await lockOrThrow(tx, env, process.pid);
    }
    if (t === 'complete') context = completionContext(env, process, input.data);
  }
  const saved = await applyTransition(tx, env, process, t, {
    operatorId: input.operatorId ?? null,
    waitReason: input.waitReason,
    waitOn: input.waitOn ?? null,
    reason: input.reason ?? null,
    data: input.data ?? null,
    context,
  });
  if (t === 'start') return spawnSteps(tx, env, saved);
  if (saved.state === 'TERMINATED') await afterEnd(tx, env, saved, cascade);
  return saved;
}

function completionContext(env: KernelEnv, p: Process, data: unknown): Record<string, unknown> {
  const form = env.definitions.services.get(p.service)?.form ?? [];
  if (form.length === 0) {
    if (data === undefined || data === null) return p.context;
    return { ...p.context, result: data };
  }
  const checked = validateServiceForm(form, data);
  if ('errors' in checked) throw validationError(checked.errors);
  return { ...p.context, form: checked.value };
}

async function cancelChildren(
  tx: Tx,
  env: KernelEnv,
  parentId: string,
  reason: string,
  cascade: Cascade,
): Promise<void> {
  const schema = env.definitions.tenant.schemaName;
  for (const child of await listChildren(tx, schema, parentId)) {
    const fresh = await lockOrThrow(tx, env, child.pid);
    if (fresh.state === 'TERMINATED') continue;
    await run(tx, env, fresh, { pid: fresh.pid, transition: 'cancel', cascade: true, reason }, cascade);
  }
}

/** A service with steps: its children start with it, and it waits for them. */
async function spawnSteps(tx: Tx, env: KernelEnv, parent: Process): Promise<Process> {
  const steps = env.definitions.services.get(parent.service)?.steps;
  if (!steps || steps.services.length === 0) return parent;
  const schema = env.definitions.tenant.schemaName;
  if ((await listChildren(tx, schema, parent.pid)).length > 0) return parent;
  const pids: string[] = [];
  let previous: string | null = null;
  for (const name of steps.services) {
    const def = env.definitions.services.get(name);
    const bound = !def?.bindsTo || def.bindsTo === parent.entity;
    const child: Process = await createProcess(tx, env, {
      service: name,
      parentId: parent.pid,
      predecessorId: steps.mode === 'sequence' ? previous : null,
      priority: parent.priority,
      entity: bound ? parent.entity : null,
      recordId: bound ? parent.recordId : null,
    });
    pids.push(child.pid);
    previous = child.pid;
  }
  return applyTransition(tx, env, parent, 'wait', { waitReason: 'children', waitOn: { children: pids } });
}

async function afterEnd(tx: Tx, env: KernelEnv, ended: Process, cascade: Cascade): Promise<void> {
  const schema = env.definitions.tenant.schemaName;
  for (const pid of await liveSuccessors(tx, schema, ended.pid)) {
    const next = await lockOrThrow(tx, env, pid);
    if (ended.exitReason === 'done') {
      if (next.state === 'WAITING' && next.waitReason === 'predecessor') {
        await run(tx, env, next, { pid, transition: 'wake', reason: 'predecessor done' }, cascade);
      }
    } else {
      await run(
        tx,
        env,
        next,
        { pid, transition: 'cancel', cascade: true, reason: `predecessor ${ended.exitReason}` },
        cascade,
      );
    }
  }
  const parentId = ended.parentId;
  if (!parentId || cascade.ending.has(parentId)) return;
  if ((await countLiveChildren(tx, schema, parentId)) > 0) return;
  const parent = await lockOrThrow(tx, env, parentId);
  if (parent.state === 'WAITING' && parent.waitReason === 'children') {
    await run(tx, env, parent, { pid: parentId, transition: 'wake', reason: 'children ended' }, cascade);
  }
}
