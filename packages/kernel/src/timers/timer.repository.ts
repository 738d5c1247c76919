/** SQL of durable timers: schedule, cancel, and fire the due ones into the outbox. */
import { newId } from '@tenon/core';
import { type Executor, OUTBOX_CHANNEL, sql } from '@tenon/db';

export type TimerInput = {
  dueAt: string | Date;
  payload?: Record<string, unknown>;
  /** The process waiting on this timer: the fired event names it (entity `_process`, recordId = pid). */
  pid?: string | null;
  /** The rule that asked for it (reminders, escalations). */
  rule?: string | null;
  /** Default `timer.fired`. */
  topic?: string;
};

const SYSTEM_ACTOR = JSON.stringify({ userId: null, username: 'system' });
const NO_CAUSE = JSON.stringify({ depth: 0, chain: [] });

export async function insertTimer(tx: Executor, schema: string, input: TimerInput): Promise<string> {
  const id = newId();
  const dueAt = input.dueAt instanceof Date ? input.dueAt.toISOString() : input.dueAt;
  await tx.run(sql`INSERT INTO ${sql.id(schema, '_timer')} (id, due_at, topic, payload, pid, rule)
    VALUES (${id}, ${dueAt}::timestamptz, ${input.topic ?? 'timer.fired'}, ${JSON.stringify(input.payload ?? {})}::jsonb,
      ${input.pid ?? null}, ${input.rule ?? null})`);
  return id;
}

/** Cancels timers not fired yet (by id, or every timer of a process); returns how many. */
export async function deleteUnfired(
  tx: Executor,
  schema: string,
  by: { id?: string; pid?: string },
): Promise<number> {
  const { rowCount } = await tx.run(sql`DELETE FROM ${sql.id(schema, '_timer')}
    WHERE fired_at IS NULL AND (id = ${by.id ?? null}::uuid OR pid = ${by.pid ?? null}::uuid)`);
  return rowCount;
}

/**
 * Marks up to `limit` timers due at `now` as fired and appends their events, in one statement (so in
 * the caller's transaction); timers another instance holds are skipped. Returns how many fired.
 */
export async function fireDue(tx: Executor, schema: string, now: Date, limit: number): Promise<number> {
  const at = now.toISOString();
  const timer = sql.id(schema, '_timer');
  const { rows } = await tx.run<{ n: number }>(sql`
    WITH due AS (
      SELECT id FROM ${timer} WHERE fired_at IS NULL AND due_at <= ${at}::timestamptz
      ORDER BY due_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), fired AS (
      UPDATE ${timer} t SET fired_at = ${at}::timestamptz FROM due WHERE t.id = due.id
      RETURNING t.id, t.topic, t.payload, t.pid, t.rule, t.due_at
    ), o AS (
      INSERT INTO ${sql.id(schema, '_outbox')} (topic, entity, record_id, payload, actor, cause)
      SELECT topic, CASE WHEN pid IS NULL THEN '_timer' ELSE '_process' END, coalesce(pid, id),
        payload || jsonb_build_object('timerId', id, 'pid', pid, 'rule', rule,
          'dueAt', to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'firedAt', ${at}::text),
        ${SYSTEM_ACTOR}::jsonb, ${NO_CAUSE}::jsonb
      FROM fired ORDER BY due_at, id
      RETURNING 1
    )
    SELECT c.n::int AS n, CASE WHEN c.n > 0 THEN pg_notify(${OUTBOX_CHANNEL}, ${schema}) END AS notified
    FROM (SELECT count(*) AS n FROM o) c`);
  return rows[0]?.n ?? 0;
}
