/** SQL of the outbox consumer: claim one row, consume it, record a failure, dead-letter. */
import { type Executor, sql } from '@tenon/db';
import { LIVE_CHANNEL } from './delivery-policy.ts';

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

/** The oldest available row nobody else holds, locked until the transaction ends. */
export async function claimNext(
  tx: Executor,
  schema: string,
  skip: readonly string[],
): Promise<OutboxRow | null> {
  const { rows } = await tx.run<OutboxRow>(sql`
    SELECT id::text, topic, entity, record_id::text, payload, actor, cause, trace_id,
      to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, attempts
    FROM ${table(schema)}
    WHERE available_at <= now() AND NOT (id = ANY(${skip}::bigint[]))
    ORDER BY id LIMIT 1
    FOR UPDATE SKIP LOCKED`);
  return rows[0] ?? null;
}

/** Removes the consumed row and announces it to live subscribers (delivered at commit). */
export async function consume(tx: Executor, schema: string, id: string, live: string): Promise<void> {
  await tx.run(sql`WITH d AS (DELETE FROM ${table(schema)} WHERE id = ${id}::bigint RETURNING id)
    SELECT pg_notify(${LIVE_CHANNEL}, ${live}) FROM d`);
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
