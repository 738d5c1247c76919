/**
 * Who may move a task (pure). An operator works only on their own tasks and claims only what their
 * roles and skills cover; a `$process` admin may do anything; the creator of a process may cancel it.
 */
import { AppError } from '@tenon/core';
import { ProcessErrors } from '../processes/errors.ts';
import type { Process } from '../types.ts';

export type Operator = {
  userId: string;
  roles: readonly string[];
  skills: readonly string[];
  /** `$process` admin: acts on anyone's task and names the operator. */
  isAdmin: boolean;
};

/** The skills of a user from their membership attributes (`skills`: a list of names). */
export function skillsOf(attributes: Record<string, unknown>): string[] {
  const skills = attributes.skills;
  return Array.isArray(skills) ? skills.filter((s): s is string => typeof s === 'string') : [];
}

/** Whether the task is for this operator's roles and skills. */
export function isEligible(
  p: Pick<Process, 'role' | 'skills'>,
  op: Pick<Operator, 'roles' | 'skills'>,
): boolean {
  return (p.role === null || op.roles.includes(p.role)) && p.skills.every((s) => op.skills.includes(s));
}

const OWN_ONLY = new Set(['suspend', 'resume', 'complete', 'release', 'handover', 'fail']);

/**
 * Checks that `op` may run `transition` on `p`; returns the operator id to pass to the transition
 * (the operator themself unless an admin names another one).
 */
export function authorizeTransition(
  p: Pick<Process, 'operatorId' | 'role' | 'skills' | 'createdBy'>,
  transition: string,
  op: Operator,
  requestedOperatorId: string | null | undefined,
): string | null {
  if (op.isAdmin)
    return requestedOperatorId ?? (transition === 'handover' ? null : (p.operatorId ?? op.userId));
  const mine = p.operatorId === op.userId;
  if (transition === 'claim' || transition === 'start') {
    if (p.operatorId !== null && !mine) throw new AppError(ProcessErrors.KERNEL_NOT_YOUR_TASK);
    if (!mine && !isEligible(p, op)) throw new AppError(ProcessErrors.KERNEL_TASK_NOT_ELIGIBLE);
    return op.userId;
  }
  if (OWN_ONLY.has(transition)) {
    if (!mine) throw new AppError(ProcessErrors.KERNEL_NOT_YOUR_TASK);
    return transition === 'handover' ? (requestedOperatorId ?? null) : op.userId;
  }
  if (transition === 'cancel' && p.createdBy === op.userId) return null;
  throw new AppError(ProcessErrors.KERNEL_NOT_YOUR_TASK);
}
