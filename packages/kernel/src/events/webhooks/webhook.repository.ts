/** SQL of webhooks and their deliveries. */
import { newId } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import type { WebhookInput } from './webhook-rules.ts';

export type Webhook = {
  id: string;
  name: string;
  url: string;
  topics: string[];
  entity: string | null;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
};

export type WebhookDelivery = {
  id: string;
  webhookId: string;
  eventId: string;
  topic: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  nextAt: string;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
};

const iso = (column: string) =>
  sql`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const WEBHOOK_COLUMNS = sql`id::text, name, url, topics, entity, active, version,
  ${iso('created_at')} AS "createdAt", ${iso('updated_at')} AS "updatedAt", updated_by AS "updatedBy"`;

const DELIVERY_COLUMNS = sql`id::text, webhook_id::text AS "webhookId", event_id AS "eventId",
  event->>'topic' AS topic, status, attempts, ${iso('next_at')} AS "nextAt", last_status AS "lastStatus",
  last_error AS "lastError", ${iso('delivered_at')} AS "deliveredAt", ${iso('created_at')} AS "createdAt"`;

export async function listWebhooks(db: Executor, schema: string): Promise<Webhook[]> {
  const { rows } = await db.run<Webhook>(
    sql`SELECT ${WEBHOOK_COLUMNS} FROM ${sql.id(schema, '_webhook')} ORDER BY name, id`,
  );
  return rows;
}

export async function findWebhook(
  db: Executor,
  schema: string,
  id: string,
  lock = false,
): Promise<Webhook | null> {
  const { rows } = await db.run<Webhook>(sql`SELECT ${WEBHOOK_COLUMNS} FROM ${sql.id(schema, '_webhook')}
    WHERE id::text = ${id} ${lock ? sql`FOR UPDATE` : sql``}`);
  return rows[0] ?? null;
}

export async function insertWebhook(
  db: Executor,
  schema: string,
  input: WebhookInput & { secret: string },
  user: string,
): Promise<Webhook> {
  const { rows } = await db.run<Webhook>(sql`INSERT INTO ${sql.id(schema, '_webhook')}
      (id, name, url, secret, topics, entity, active, created_by, updated_by)
    VALUES (${newId()}, ${input.name}, ${input.url}, ${input.secret}, ${input.topics}::text[], ${input.entity},
      ${input.active}, ${user}, ${user})
    RETURNING ${WEBHOOK_COLUMNS}`);
  return rows[0] as Webhook;
}

export async function updateWebhook(
  db: Executor,
  schema: string,
  id: string,
  input: WebhookInput,
  user: string,
): Promise<Webhook> {
  const { rows } = await db.run<Webhook>(sql`UPDATE ${sql.id(schema, '_webhook')}
    SET name = ${input.name}, url = ${input.url}, topics = ${input.topics}::text[], entity = ${input.entity},
      active = ${input.active}, secret = coalesce(${input.secret ?? null}, secret), updated_by = ${user},
      updated_at = now(), version = version + 1
    WHERE id::text = ${id}
    RETURNING ${WEBHOOK_COLUMNS}`);
  return rows[0] as Webhook;
}

export async function deleteWebhook(db: Executor, schema: string, id: string): Promise<boolean> {
  const { rowCount } = await db.run(sql`DELETE FROM ${sql.id(schema, '_webhook')} WHERE id::text = ${id}`);
  return rowCount > 0;
}

type ActiveWebhook = { id: string; topics: string[]; entity: string | null };

/** Active webhooks per transaction and schema: a delivery transaction reads them once for its batch. */
const activeByTx = new WeakMap<Executor, Map<string, Promise<ActiveWebhook[]>>>();

function activeWebhooks(db: Executor, schema: string): Promise<ActiveWebhook[]> {
  const read = () =>
    db
      .run<ActiveWebhook>(
        sql`SELECT id::text, topics, entity FROM ${sql.id(schema, '_webhook')} WHERE active`,
      )
      .then((r) => r.rows);
  // Outside a transaction (autocommit) nothing is kept: the next call may see other webhooks.
  if (!('inTransaction' in db)) return read();
  let bySchema = activeByTx.get(db);
  if (!bySchema) {
    bySchema = new Map();
    activeByTx.set(db, bySchema);
  }
  let active = bySchema.get(schema);
  if (!active) {
    active = read();
    bySchema.set(schema, active);
  }
  return active;
}

/**
 * Active webhooks an event goes to: topic listed (or `*`, or no topics), entity matching if set. The
 * list is read once per transaction (`db` must be the delivery transaction, whose batch it serves).
 */
export async function matchingWebhookIds(
  db: Executor,
  schema: string,
  event: { topic: string; entity: string | null },
): Promise<string[]> {
  return (await activeWebhooks(db, schema))
    .filter(
      (w) =>
        (w.topics.length === 0 || w.topics.includes(event.topic) || w.topics.includes('*')) &&
        (w.entity === null || w.entity === event.entity),
    )
    .map((w) => w.id);
}

/** One pending delivery per webhook; an event seen again (redelivered by the outbox) adds nothing. */
export async function enqueueDeliveries(
  db: Executor,
  schema: string,
  webhookIds: string[],
  event: { id: string; body: Record<string, unknown> },
): Promise<void> {
  const body = JSON.stringify(event.body);
  const rows = webhookIds.map((w) => sql`(${newId()}, ${w}::uuid, ${event.id}, ${body}::jsonb)`);
  await db.run(sql`INSERT INTO ${sql.id(schema, '_webhook_delivery')} (id, webhook_id, event_id, event)
    VALUES ${sql.join(rows)} ON CONFLICT (webhook_id, event_id) DO NOTHING`);
}

export async function listDeliveries(
  db: Executor,
  schema: string,
  filter: { webhookId: string; status?: string | undefined; limit: number; offset: number },
): Promise<{ items: WebhookDelivery[]; total: number }> {
  const where = sql`webhook_id::text = ${filter.webhookId}
    AND (${filter.status ?? null}::text IS NULL OR status = ${filter.status ?? null})`;
  const table = sql.id(schema, '_webhook_delivery');
  const { rows } = await db.run<WebhookDelivery>(sql`SELECT ${DELIVERY_COLUMNS} FROM ${table} WHERE ${where}
    ORDER BY created_at DESC, id DESC LIMIT ${filter.limit} OFFSET ${filter.offset}`);
  const count = await db.run<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`);
  return { items: rows, total: count.rows[0]?.n ?? 0 };
}

export async function findDelivery(
  db: Executor,
  schema: string,
  webhookId: string,
  id: string,
): Promise<WebhookDelivery | null> {
  const { rows } = await db.run<WebhookDelivery>(sql`SELECT ${DELIVERY_COLUMNS}
    FROM ${sql.id(schema, '_webhook_delivery')} WHERE id::text = ${id} AND webhook_id::text = ${webhookId}
    FOR UPDATE`);
  return rows[0] ?? null;
}

export async function resetDelivery(db: Executor, schema: string, id: string): Promise<WebhookDelivery> {
  const { rows } = await db.run<WebhookDelivery>(sql`UPDATE ${sql.id(schema, '_webhook_delivery')}
    SET status = 'pending', attempts = 0, next_at = clock_timestamp() WHERE id::text = ${id}
    RETURNING ${DELIVERY_COLUMNS}`);
  return rows[0] as WebhookDelivery;
}
