/**
 * Test-side delivery: consumes outbox rows in id order, each in one transaction with the handler (as
 * the dispatcher does), until none are left (cascades included). Returns the delivered topics.
 */
import { type Database, sql } from '@tenon/db';
import type { EventHandler, KernelEvent } from '../../events/types.ts';

type Row = {
  id: string;
  topic: string;
  entity: string | null;
  record_id: string | null;
  payload: Record<string, unknown>;
  actor: KernelEvent['actor'];
  cause: Partial<KernelEvent['cause']>;
  trace_id: string | null;
  created_at: string;
};

export async function deliverAll(
  db: Database,
  tenant: { name: string; schemaName: string },
  handler: EventHandler,
  maxRounds = 100,
): Promise<string[]> {
  const delivered: string[] = [];
  for (let round = 0; round < maxRounds; round++) {
    const found = await db.transaction(async (tx) => {
      const { rows } = await tx.run<Row>(sql`DELETE FROM ${sql.id(tenant.schemaName, '_outbox')}
        WHERE id = (SELECT min(id) FROM ${sql.id(tenant.schemaName, '_outbox')})
        RETURNING id::text, topic, entity, record_id::text, payload, actor, cause, trace_id, created_at::text`);
      const row = rows[0];
      if (!row) return false;
      await handler.handle(tx, {
        id: row.id,
        schema: tenant.schemaName,
        tenant: tenant.name,
        topic: row.topic,
        entity: row.entity,
        recordId: row.record_id,
        payload: row.payload,
        actor: row.actor,
        cause: { depth: row.cause.depth ?? 0, chain: row.cause.chain ?? [] },
        traceId: row.trace_id,
        createdAt: row.created_at,
      });
      delivered.push(row.topic);
      return true;
    });
    if (!found) return delivered;
  }
  throw new Error(`events still pending after ${maxRounds} deliveries`);
}
