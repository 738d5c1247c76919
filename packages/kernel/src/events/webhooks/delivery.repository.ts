/** SQL of the webhook delivery worker: lease due deliveries, record each outcome. */
import { type Executor, sql } from '@tenon/db';

export type ClaimedDelivery = {
  id: string;
  eventId: string;
  event: Record<string, unknown>;
  attempts: number;
  url: string;
  secret: string;
};

/**
 * Leases up to `limit` due deliveries of active webhooks: counts the attempt and pushes `next_at` past
 * the lease, so a worker that dies mid-request is retried after the lease by any instance.
 */
export async function claimDue(
  db: Executor,
  schema: string,
  input: { limit: number; leaseMs: number },
): Promise<ClaimedDelivery[]> {
  const d = sql.id(schema, '_webhook_delivery');
  const w = sql.id(schema, '_webhook');
  const { rows } = await db.run<ClaimedDelivery>(sql`
    WITH due AS (
      SELECT d.id FROM ${d} d JOIN ${w} w ON w.id = d.webhook_id
      WHERE d.status = 'pending' AND d.next_at <= clock_timestamp() AND w.active
      ORDER BY d.next_at, d.id LIMIT ${input.limit} FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE ${d} x SET attempts = x.attempts + 1,
      next_at = clock_timestamp() + make_interval(secs => ${input.leaseMs / 1000}::float8)
    FROM due, ${w} w
    WHERE x.id = due.id AND w.id = x.webhook_id
    RETURNING x.id::text, x.event_id AS "eventId", x.event, x.attempts, w.url, w.secret`);
  return rows;
}

export async function markDelivered(db: Executor, schema: string, id: string, status: number): Promise<void> {
  await db.run(sql`UPDATE ${sql.id(schema, '_webhook_delivery')}
    SET status = 'delivered', last_status = ${status}, last_error = NULL, delivered_at = clock_timestamp()
    WHERE id::text = ${id} AND status = 'pending'`);
}

/** A failed attempt: retried after `delayMs`, or dead when `dead`. */
export async function markFailed(
  db: Executor,
  schema: string,
  input: { id: string; status: number | null; error: string; delayMs: number; dead: boolean },
): Promise<void> {
  await db.run(sql`UPDATE ${sql.id(schema, '_webhook_delivery')}
    SET status = ${input.dead ? 'dead' : 'pending'}, last_status = ${input.status}, last_error = ${input.error},
      next_at = clock_timestamp() + make_interval(secs => ${input.delayMs / 1000}::float8)
    WHERE id::text = ${input.id} AND status = 'pending'`);
}
