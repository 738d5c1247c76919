/** SQL of the outbox consumer: claim (and consume) one row, record a failure, dead-letter. */
import { type Executor, sql } from '@tenon/db';
import { LIVE_CHANNEL, LIVE_PAYLOAD_LIMIT } from './delivery-policy.ts';

export type OutboxRow = {
  id: string;
  topic: string;
  entity: string | null;
  record_id: string | null;
  payload: Record<string, unknown>;
  actor: { userId: string | null; username: string };
  cause: { depth?: number; chain?: string[] };
  trace_id: string | null;
  created_at: string;
  attempts: number;
};

const table = (schema: string) => sql.id(schema, '_outbox');

/**
 * Takes the oldest available rows nobody else holds (up to `limit`, in id order): deleted and announced
 * to live subscribers in one statement, both undone if the transaction rolls back (the row locks keep
 * other consumers off until then). The live notification carries the payload only while it is
 * small (NOTIFY's 8000-byte limit); otherwise `{ truncated: true, eventId }`.
 */
export async function claimBatch(
  tx: Executor,
  schema: string,
  skip: readonly string[],
  limit: number,
): Promise<OutboxRow[]> {
  const { rows } = await tx.run<OutboxRow>(sql`
    WITH c AS (
      DELETE FROM ${table(schema)} WHERE id IN (
        SELECT id FROM ${table(schema)}
        WHERE available_at <= now() AND NOT (id = ANY(${skip}::bigint[]))
        ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id, topic, entity, record_id, payload, actor, cause, trace_id, attempts,
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
    ), live AS (
      SELECT pg_notify(${LIVE_CHANNEL}, json_build_object('i', id::text, 's', ${schema}::text, 't', topic, 'e', entity,
        'r', record_id, 'a', created_at,
        'p', CASE WHEN octet_length(payload::text) <= ${LIVE_PAYLOAD_LIMIT}::int THEN payload
             ELSE jsonb_build_object('truncated', true, 'eventId', id::text) END)::text) AS sent
      FROM c
    )
    SELECT id::text, topic, entity, record_id::text, payload, actor, cause, trace_id, created_at, attempts,
      (SELECT count(*) FROM live) AS announced
    FROM c ORDER BY c.id`);
  return rows;
}

/** Counts a failed attempt (only if nobody counted it meanwhile); returns the attempts now recorded. */
export async function recordFailure(
  tx: Executor,
  schema: string,
  input: { id: string; seenAttempts: number; delayMs: number; error: string },
): Promise<number | null> {
  const { rows } = await tx.run<{ attempts: number }>(sql`
    UPDATE ${table(schema)}
    SET attempts = attempts + 1, last_error = ${input.error},
      available_at = clock_timestamp() + make_interval(secs => ${input.delayMs / 1000}::float8)
    WHERE id = ${input.id}::bigint AND attempts = ${input.seenAttempts}
    RETURNING attempts`);
  return rows[0]?.attempts ?? null;
}

/** Moves a row that failed too often to `_outbox_dead`, keeping everything it said. */
export async function deadLetter(tx: Executor, schema: string, id: string): Promise<void> {
  await tx.run(sql`WITH d AS (DELETE FROM ${table(schema)} WHERE id = ${id}::bigint RETURNING *)
    INSERT INTO ${sql.id(schema, '_outbox_dead')}
      (id, topic, entity, record_id, payload, actor, cause, trace_id, created_at, attempts, last_error)
    SELECT id, topic, entity, record_id, payload, actor, cause, trace_id, created_at, attempts, last_error FROM d`);
}
