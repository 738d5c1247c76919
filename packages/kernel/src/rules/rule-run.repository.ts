/** `_rule_run`: one append-only row per rule considered for an event (ok, skipped, error, loop, depth). */
import { newId } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';

export type RuleOutcome = 'ok' | 'skipped' | 'error' | 'loop' | 'depth';

export type RuleRun = {
  rule: string;
  ruleVersion: number | null;
  eventId: string | null;
  topic: string;
  entity: string | null;
  recordId: string | null;
  depth: number;
  outcome: RuleOutcome;
  error: string | null;
  at: string;
};

export async function appendRuleRuns(tx: Executor, schema: string, runs: RuleRun[]): Promise<void> {
  if (runs.length === 0) return;
  const rows = runs.map(
    (r) => sql`(${newId()}, ${r.rule}, ${r.ruleVersion}, ${r.eventId}, ${r.topic}, ${r.entity}, ${r.recordId},
      ${r.depth}, ${r.outcome}, ${r.error?.slice(0, 2000) ?? null}, ${r.at}::timestamptz)`,
  );
  await tx.run(sql`INSERT INTO ${sql.id(schema, '_rule_run')}
    (id, rule, rule_version, event_id, topic, entity, record_id, depth, outcome, error, at) VALUES ${sql.join(rows)}`);
}

export async function listRuleRuns(
  db: Executor,
  schema: string,
  filter: { rule?: string; eventId?: string; limit?: number },
): Promise<RuleRun[]> {
  const where = [sql`true`];
  if (filter.rule) where.push(sql`rule = ${filter.rule}`);
  if (filter.eventId) where.push(sql`event_id = ${filter.eventId}`);
  const { rows } =
    await db.run<RuleRun>(sql`SELECT rule, rule_version AS "ruleVersion", event_id AS "eventId",
      topic, entity, record_id AS "recordId", depth, outcome, error,
      to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
    FROM ${sql.id(schema, '_rule_run')} WHERE ${sql.join(where, sql` AND `)}
    ORDER BY at DESC, id DESC LIMIT ${filter.limit ?? 100}`);
  return rows;
}
