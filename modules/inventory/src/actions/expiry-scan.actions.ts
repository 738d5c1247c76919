/** `expiry_scan.create_expiry_tasks`: one call, one service. */
import type { Tx } from '@tenon/db';
import { type ActionRegistry, updateRecordIn } from '@tenon/design';
import { createExpiryTasksIn } from '../services/create-expiry-tasks.service.ts';
import { today } from './today.ts';

export function registerExpiryScanActions(registry: ActionRegistry): void {
  registry.register('expiry_scan', 'create_expiry_tasks', async ({ tx, ctx, entity, record }) => {
    // Declared actions always run inside the record's transaction (runAction).
    const created = await createExpiryTasksIn(tx as Tx, {
      metamodel: ctx.metamodel,
      clock: ctx.clock,
      actor: ctx.actor,
      today: today(ctx.clock, entity),
      withinDays: Number(record.within_days ?? 30),
    });
    return updateRecordIn(tx, ctx, entity, {
      id: record.id as string,
      patch: { tasks_created: created.length },
      expectedVersion: null,
    });
  });
}
