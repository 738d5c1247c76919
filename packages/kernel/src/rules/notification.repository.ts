/** `_notification`: messages for a user or for everyone with a role, shown by the console. */
import { type Label, newId } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';

export type Notification = {
  id: string;
  userId: string | null;
  role: string | null;
  title: Label;
  body: string | null;
  entity: string | null;
  recordId: string | null;
  rule: string | null;
  readAt: string | null;
  createdAt: string;
};

export type NewNotification = Omit<Notification, 'id' | 'readAt' | 'createdAt'>;

const iso = (column: string) =>
  sql`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const COLUMNS = sql`id, user_id AS "userId", role, title, body, entity, record_id AS "recordId", rule,
  ${iso('read_at')} AS "readAt", ${iso('created_at')} AS "createdAt"`;

export async function insertNotification(
  tx: Executor,
  schema: string,
  n: NewNotification,
  at: string,
): Promise<string> {
  const id = newId();
  await tx.run(sql`INSERT INTO ${sql.id(schema, '_notification')}
      (id, user_id, role, title, body, entity, record_id, rule, created_at)
    VALUES (${id}, ${n.userId}, ${n.role}, ${JSON.stringify(n.title)}::jsonb, ${n.body}, ${n.entity},
      ${n.recordId}, ${n.rule}, ${at}::timestamptz)`);
  return id;
}

/** A user's notifications: addressed to them or to one of their roles; newest first. */
export async function listNotifications(
  db: Executor,
  schema: string,
  input: { userId: string; roles: string[]; unreadOnly: boolean; limit: number; offset: number },
): Promise<{ items: Notification[]; total: number }> {
  const mine = sql`(user_id = ${input.userId} OR role = ANY(${input.roles}::text[]))${
    input.unreadOnly ? sql` AND read_at IS NULL` : sql``
  }`;
  const table = sql.id(schema, '_notification');
  const { rows } = await db.run<Notification>(sql`SELECT ${COLUMNS} FROM ${table} WHERE ${mine}
    ORDER BY created_at DESC, id DESC LIMIT ${input.limit} OFFSET ${input.offset}`);
  const count = await db.run<{ n: string }>(sql`SELECT count(*)::text AS n FROM ${table} WHERE ${mine}`);
  return { items: rows, total: Number(count.rows[0]?.n ?? 0) };
}

/** Marks one of the user's notifications read (a role notification is read for everyone with the role). */
export async function markNotificationRead(
  tx: Executor,
  schema: string,
  input: { id: string; userId: string; roles: string[]; at: string },
): Promise<Notification | null> {
  const { rows } = await tx.run<Notification>(sql`UPDATE ${sql.id(schema, '_notification')}
    SET read_at = COALESCE(read_at, ${input.at}::timestamptz)
    WHERE id = ${input.id} AND (user_id = ${input.userId} OR role = ANY(${input.roles}::text[]))
    RETURNING ${COLUMNS}`);
  return rows[0] ?? null;
}
