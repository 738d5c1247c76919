/** SQL of per-user preferences (one JSON value per user and key). */
import { type Executor, sql } from '@tenon/db';

export async function readPreferences(db: Executor, schema: string, userId: string) {
  const { rows } = await db.run<{ key: string; value: unknown }>(
    sql`SELECT key, value FROM ${sql.id(schema, '_user_preference')} WHERE user_id = ${userId} ORDER BY key`,
  );
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

export async function writePreference(
  db: Executor,
  schema: string,
  input: { userId: string; key: string; value: unknown },
): Promise<void> {
  await db.run(sql`INSERT INTO ${sql.id(schema, '_user_preference')} (user_id, key, value)
    VALUES (${input.userId}, ${input.key}, ${JSON.stringify(input.value)}::jsonb)
    ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, updated_at = now()`);
}
