/**
 * The audit trail: every write appends who, what, when and from where, in the same transaction
 * as the write. The table refuses UPDATE and DELETE (a trigger), so entries can only be added.
 */
import { newId } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import type { Actor } from './context.ts';
import { type EventCause, eventsOfAudit, notifyOutbox, outboxInsert } from './events.ts';
import type { RecordData } from './row-mapping.ts';

export type AuditEntry = {
  action: string;
  entity: string | null;
  recordId: string | null;
  changes: { before?: RecordData | null; after?: RecordData | null } | null;
};

const NOT_CHANGES = new Set(['version', 'updated_at', 'updated_by', 'created_at', 'created_by']);

/** Field-level before/after of the fields that changed. */
export function diffRecords(
  before: RecordData,
  after: RecordData,
): { before: RecordData; after: RecordData } | null {
  const b: RecordData = {};
  const a: RecordData = {};
  for (const key of Object.keys(after)) {
    if (NOT_CHANGES.has(key)) continue;
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return Object.keys(a).length === 0 ? null : { before: b, after: a };
}

/**
 * Appends audit entries and the record events they stand for, in one statement: the audit rows, the
 * outbox rows and the dispatcher's wake-up (delivered at commit).
 */
export async function appendAudit(
  tx: Executor,
  schema: string,
  actor: Actor,
  entries: AuditEntry[],
  cause?: EventCause,
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(
    (e) => sql`(${newId()}, ${actor.userId}, ${actor.username}, ${e.action}, ${e.entity}, ${e.recordId},
      ${e.changes === null ? null : JSON.stringify(e.changes)}::jsonb, ${actor.ip ?? null}, ${actor.userAgent ?? null},
      ${actor.traceId ?? null})`,
  );
  const audit = sql`INSERT INTO ${sql.id(schema, '_audit')}
    (id, user_id, username, action, entity, record_id, changes, ip, user_agent, trace_id) VALUES ${sql.join(rows)}`;
  const events = entries.flatMap(eventsOfAudit);
  if (events.length === 0) {
    await tx.run(audit);
    return;
  }
  await tx.run(sql`WITH a AS (${audit}), o AS (${outboxInsert(schema, events, { actor, cause })})
    ${notifyOutbox(schema)}`);
}

export type AuditRecord = {
  id: string;
  at: string;
  userId: string | null;
  username: string | null;
  action: string;
  entity: string | null;
  recordId: string | null;
  changes: AuditEntry['changes'];
  ip: string | null;
  userAgent: string | null;
  traceId: string | null;
};

/** A record's history (newest first), or a user's activity. */
export async function readAudit(
  db: Executor,
  schema: string,
  where: { entity: string; recordId: string } | { userId: string },
  limit = 200,
): Promise<AuditRecord[]> {
  const condition =
    'userId' in where
      ? sql`user_id = ${where.userId}`
      : sql`entity = ${where.entity} AND record_id = ${where.recordId}`;
  const { rows } = await db.run<AuditRecord>(sql`
    SELECT id, at, user_id AS "userId", username, action, entity, record_id AS "recordId", changes, ip,
      user_agent AS "userAgent", trace_id AS "traceId"
    FROM ${sql.id(schema, '_audit')} WHERE ${condition} ORDER BY at DESC, id DESC LIMIT ${limit}`);
  return rows;
}
