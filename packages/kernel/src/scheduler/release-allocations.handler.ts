/**
 * Frees a process's resources when it ends: on `process.state_changed` to TERMINATED, its live
 * bookings and holds get `released_at` (the rows stay: the resource's schedule keeps its history).
 * Idempotent: a redelivered event finds nothing left to release.
 */
import { sql, type Tx } from '@tenon/db';
import type { EventHandler, KernelEvent } from '../events/types.ts';

export async function releaseAllocations(
  tx: Tx,
  schema: string,
  input: { pid: string; at: string },
): Promise<number> {
  const r =
    await tx.run(sql`UPDATE ${sql.id(schema, '_allocation')} SET released_at = ${input.at}::timestamptz
    WHERE pid = ${input.pid} AND released_at IS NULL`);
  return r.rowCount;
}

export const releaseAllocationsHandler: EventHandler = {
  name: 'scheduler.release-allocations',
  async handle(tx: Tx, event: KernelEvent) {
    if (event.topic !== 'process.state_changed' || event.payload.to !== 'TERMINATED') return;
    const pid = event.payload.pid;
    if (typeof pid !== 'string') return;
    await releaseAllocations(tx, event.schema, { pid, at: event.createdAt });
  },
};
