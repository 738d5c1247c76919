/**
 * One dispatch round in one transaction: lock the READY unassigned processes (SKIP LOCKED: another
 * instance's round keeps its own), lock the resources they need in id order, plan, then assign each
 * chosen process to its operator (K1's `assign` transition: history row and outbox event) and hold its
 * resources. Booked processes whose start has come are admitted first; they keep their bookings and go
 * to the user of their booked person resource. Two instances running rounds at once never assign a
 * process twice or overbook a resource.
 */
import type { Database } from '@tenon/db';
import type { KernelEnv } from '../../env.ts';
import { transitionProcess } from '../../services/transition-process.service.ts';
import { dueForAdmission, loadRound } from '../dispatch.repository.ts';
import { type DispatchOptions, type NotDispatched, planDispatch } from '../domain/plan-dispatch.ts';
import { type AllocationRow, insertAllocations } from '../resource.repository.ts';

export type DispatchResult = {
  assigned: { pid: string; operatorId: string; allocations: AllocationRow[] }[];
  waiting: NotDispatched[];
  /** READY unassigned processes considered (those locked by another round are not). */
  considered: number;
  /** Where the round's time went: reading and locking, planning, writing. */
  timings: { loadMs: number; planMs: number; applyMs: number };
};

export async function dispatchRound(
  db: Database,
  env: KernelEnv,
  input: { options?: Partial<DispatchOptions>; limit?: number } = {},
): Promise<DispatchResult> {
  return db.transaction(async (tx) => {
    const t0 = performance.now();
    // Booked slots whose time has come are admitted first (NEW -> READY), then dispatched with the rest.
    const schemaName = env.definitions.tenant.schemaName;
    for (const pid of await dueForAdmission(tx, schemaName, env.clock.now().getTime())) {
      await transitionProcess(tx, env, { pid, transition: 'admit', reason: 'scheduled start reached' });
    }
    const round = await loadRound(tx, env, { lock: true, limit: input.limit ?? 20_000 });
    const t1 = performance.now();
    const plan = planDispatch({ ...round, ...(input.options ? { options: input.options } : {}) });
    const t2 = performance.now();
    const schema = env.definitions.tenant.schemaName;
    const by = env.actor.userId ?? env.actor.username;
    const resource = new Map(round.resources.map((r) => [r.id, r]));
    for (const a of plan.assignments) {
      await transitionProcess(tx, env, {
        pid: a.pid,
        transition: 'assign',
        operatorId: a.operatorId,
        reason: 'dispatch',
        data: { resources: a.allocations.map((r) => r.resourceId) },
      });
    }
    const rows = await insertAllocations(tx, schema, {
      kind: 'hold',
      by,
      items: plan.assignments.map((a) => ({
        pid: a.pid,
        picks: a.allocations.map((r) => ({
          ...r,
          resource: resource.get(r.resourceId)!.code,
          type: resource.get(r.resourceId)!.type,
        })),
      })),
    });
    const assigned: DispatchResult['assigned'] = plan.assignments.map((a) => ({
      pid: a.pid,
      operatorId: a.operatorId,
      allocations: rows.filter((r) => r.pid === a.pid),
    }));
    const timings = {
      loadMs: Math.round(t1 - t0),
      planMs: Math.round(t2 - t1),
      applyMs: Math.round(performance.now() - t2),
    };
    return { assigned, waiting: plan.waiting, considered: round.processes.length, timings };
  });
}
