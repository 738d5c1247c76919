/**
 * Domain events into the transactional outbox (`_outbox`, in the tenant schema): written in the same
 * transaction as the change, announced on OUTBOX_CHANNEL at commit, delivered at least once by the
 * kernel's dispatcher. Record events are derived from audit entries, so every audited write emits them.
 */
import { type Executor, OUTBOX_CHANNEL, sql } from '@tenon/db';
import type { RawBuilder } from 'kysely';
import type { AuditEntry } from './audit.ts';
import type { Actor } from './context.ts';

/** Why a write happened: rules that led to it (loop detection) and how deep the cascade is. */
export type EventCause = { depth: number; chain: string[] };

export const NO_CAUSE: EventCause = { depth: 0, chain: [] };

export type OutboxEvent = {
  /** `record.created`, `record.updated`, `record.deleted`, `action.done`, or a module's own topic. */
  topic: string;
  entity: string | null;
  recordId: string | null;
  payload: Record<string, unknown>;
};

/** The record events an audit entry stands for (none for reads such as exports). */
export function eventsOfAudit(entry: AuditEntry): OutboxEvent[] {
  const { entity, recordId } = entry;
  if (!entity || !recordId) return [];
  const before = entry.changes?.before ?? null;
  const after = entry.changes?.after ?? null;
  const changed = after ? Object.keys(after) : [];
  if (entry.action === 'create' || entry.action === 'import') {
    return [{ topic: 'record.created', entity, recordId, payload: { after } }];
  }
  if (entry.action === 'update') {
    return [{ topic: 'record.updated', entity, recordId, payload: { before, after, changed } }];
  }
  if (entry.action === 'delete') return [{ topic: 'record.deleted', entity, recordId, payload: { before } }];
  if (entry.action.startsWith('action:')) {
    const action = entry.action.slice('action:'.length);
    const done: OutboxEvent = {
      topic: 'action.done',
      entity,
      recordId,
      payload: { action, before, after, changed },
    };
    if (changed.length === 0) return [done];
    return [{ topic: 'record.updated', entity, recordId, payload: { before, after, changed, action } }, done];
  }
  return [];
}

/** The INSERT of outbox rows, as a statement or a CTE body. */
export function outboxInsert(
  schema: string,
  events: OutboxEvent[],
  meta: { actor: Actor; cause?: EventCause | undefined },
): RawBuilder<unknown> {
  const actor = JSON.stringify({ userId: meta.actor.userId, username: meta.actor.username });
  const cause = JSON.stringify(meta.cause ?? NO_CAUSE);
  const rows = events.map(
    (e) => sql`(${e.topic}, ${e.entity}, ${e.recordId}, ${JSON.stringify(e.payload)}::jsonb, ${actor}::jsonb,
      ${cause}::jsonb, ${meta.actor.traceId ?? null})`,
  );
  return sql`INSERT INTO ${sql.id(schema, '_outbox')} (topic, entity, record_id, payload, actor, cause, trace_id)
    VALUES ${sql.join(rows)}`;
}

export const notifyOutbox = (schema: string) => sql`SELECT pg_notify(${OUTBOX_CHANNEL}, ${schema})`;

/** Appends events (one statement, with the wake-up notification delivered at commit). */
export async function appendEvents(
  tx: Executor,
  schema: string,
  events: OutboxEvent[],
  meta: { actor: Actor; cause?: EventCause | undefined },
): Promise<void> {
  if (events.length === 0) return;
  await tx.run(sql`WITH o AS (${outboxInsert(schema, events, meta)}) ${notifyOutbox(schema)}`);
}
