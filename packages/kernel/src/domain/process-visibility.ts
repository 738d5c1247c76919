/** Which live process events an operator may see (pure): their own tasks, tasks for their roles and skills; admins all. */
import { isEligible, type Operator } from './process-access.ts';

export function maySeeProcessEvent(payload: Record<string, unknown>, op: Operator): boolean {
  if (op.isAdmin) return true;
  if (payload.operatorId === op.userId || payload.previousOperatorId === op.userId) return true;
  const role = typeof payload.role === 'string' ? payload.role : null;
  const skills = Array.isArray(payload.skills)
    ? payload.skills.filter((s): s is string => typeof s === 'string')
    : [];
  return isEligible({ role, skills }, op);
}
