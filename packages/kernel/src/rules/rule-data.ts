/**
 * The plain JSON a rule sees: `event`, `record` (the current record, loaded once per event, encrypted
 * fields left out), `process` (for process events) and `now` (the injected clock).
 */

import { parseDecimal } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import { getRecord, type TenantMetamodel } from '@tenon/design';
import type { KernelEvent } from '../events/types.ts';
import type { RuleVars } from './rule-expressions.ts';

/** Removes fields stored encrypted: rules never read them. */
export function redactRecord(
  metamodel: TenantMetamodel,
  entityName: string | null,
  record: Record<string, unknown> | null,
): Record<string, unknown> | null {
  if (!record || !entityName) return record;
  const entity = metamodel.find(entityName);
  if (!entity || entity.encryptedFields.length === 0) return record;
  const copy = { ...record };
  for (const field of entity.encryptedFields) delete copy[field.name];
  return copy;
}

const DECIMAL_KINDS = new Set(['decimal', 'money', 'quantity']);

/**
 * Typed values for CEL: decimal fields (strings in JSON) become decimals and datetime fields
 * timestamps, so `record.amount > decimal("1000")` and `record.due_at < now` compare exactly.
 */
export function typedValues(
  metamodel: TenantMetamodel,
  entityName: string | null,
  values: Record<string, unknown> | null,
): Record<string, unknown> | null {
  const entity = entityName ? metamodel.find(entityName) : undefined;
  if (!values || !entity) return values;
  const out: Record<string, unknown> = { ...values };
  for (const [name, value] of Object.entries(values)) {
    const field = entity.fields.get(name);
    if (!field || typeof value !== 'string') continue;
    if (DECIMAL_KINDS.has(field.kind)) out[name] = parseDecimal(value) ?? value;
    else if (field.kind === 'datetime' && !Number.isNaN(Date.parse(value))) out[name] = new Date(value);
  }
  return out;
}

export function eventJson(event: Pick<KernelEvent, 'topic' | 'entity' | 'recordId' | 'payload' | 'actor'>) {
  const p = event.payload;
  return {
    topic: event.topic,
    entity: event.entity,
    recordId: event.recordId,
    before: (p.before as Record<string, unknown> | undefined) ?? null,
    after: (p.after as Record<string, unknown> | undefined) ?? null,
    changed: Array.isArray(p.changed) ? p.changed : [],
    action: typeof p.action === 'string' ? p.action : null,
    payload: p,
    actor: { userId: event.actor.userId, username: event.actor.username },
  };
}

/** The bound record of an event (the record itself, or a process's bound record). */
export function boundRecordOf(event: Pick<KernelEvent, 'topic' | 'entity' | 'recordId' | 'payload'>): {
  entity: string | null;
  recordId: string | null;
} {
  if (event.topic === 'process.state_changed' || event.topic === 'timer.fired') {
    const p = event.payload;
    return {
      entity: typeof p.entity === 'string' ? p.entity : event.topic === 'timer.fired' ? event.entity : null,
      recordId:
        typeof p.recordId === 'string' ? p.recordId : event.topic === 'timer.fired' ? event.recordId : null,
    };
  }
  return { entity: event.entity, recordId: event.recordId };
}

export async function loadRecord(
  tx: Executor,
  metamodel: TenantMetamodel,
  entityName: string | null,
  recordId: string | null,
): Promise<Record<string, unknown> | null> {
  if (!entityName || !recordId) return null;
  const entity = metamodel.find(entityName);
  if (!entity) return null;
  const record = await getRecord(tx, metamodel, entity, recordId);
  return redactRecord(metamodel, entityName, record as Record<string, unknown> | null);
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

export async function loadProcess(
  tx: Executor,
  schema: string,
  pid: unknown,
): Promise<Record<string, unknown> | null> {
  if (typeof pid !== 'string' || !/^[0-9a-f-]{36}$/i.test(pid)) return null;
  const { rows } = await tx.run<{ p: Record<string, unknown> }>(
    sql`SELECT to_jsonb(p) AS p FROM ${sql.id(schema, '_process')} p WHERE pid = ${pid}`,
  );
  const row = rows[0]?.p;
  return row ? Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v])) : null;
}

export async function ruleVarsOf(
  tx: Executor,
  metamodel: TenantMetamodel,
  event: KernelEvent,
  now: Date,
): Promise<RuleVars> {
  const bound = boundRecordOf(event);
  let record = await loadRecord(tx, metamodel, bound.entity, bound.recordId);
  if (!record && event.topic === 'record.deleted') {
    record = redactRecord(metamodel, event.entity, (event.payload.before as Record<string, unknown>) ?? null);
  }
  const process =
    event.topic === 'process.state_changed' ? await loadProcess(tx, event.schema, event.payload.pid) : null;
  const json = eventJson(event);
  json.before = typedValues(metamodel, event.entity, json.before);
  json.after = typedValues(metamodel, event.entity, json.after);
  return {
    event: json,
    record: typedValues(metamodel, bound.entity, record),
    process,
    now: now.toISOString(),
  };
}
