/** SQL of `_process` and `_process_event`: row <-> Process mapping, locks, inserts, updates, lists. */
import { type Executor, sql } from '@tenon/db';
import type { ExitReason, Process, ProcessState, WaitReason } from '../types.ts';

type ProcessRow = {
  pid: string;
  service: string;
  state: ProcessState;
  parent_id: string | null;
  predecessor_id: string | null;
  entity: string | null;
  record_id: string | null;
  operator_id: string | null;
  role: string | null;
  skills: string[];
  priority: number;
  due_at: string | null;
  scheduled_start: string | null;
  scheduled_end: string | null;
  started_at: string | null;
  ended_at: string | null;
  ready_since: string | null;
  context: Record<string, unknown>;
  wait_reason: WaitReason | null;
  wait_on: Record<string, unknown> | null;
  exit_reason: ExitReason | null;
  version: number;
  created_at: string;
  updated_at: string;
  created_by: string | null;
};

export function processFromRow(r: ProcessRow): Process {
  return {
    pid: r.pid,
    service: r.service,
    state: r.state,
    parentId: r.parent_id,
    predecessorId: r.predecessor_id,
    entity: r.entity,
    recordId: r.record_id,
    operatorId: r.operator_id,
    role: r.role,
    skills: r.skills ?? [],
    priority: r.priority,
    dueAt: r.due_at,
    scheduledStart: r.scheduled_start,
    scheduledEnd: r.scheduled_end,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    readySince: r.ready_since,
    context: r.context ?? {},
    waitReason: r.wait_reason,
    waitOn: r.wait_on,
    exitReason: r.exit_reason,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    createdBy: r.created_by,
  };
}

const table = (schema: string) => sql.id(schema, '_process');

export async function getProcess(ex: Executor, schema: string, pid: string): Promise<Process | null> {
  const { rows } = await ex.run<ProcessRow>(sql`SELECT * FROM ${table(schema)} WHERE pid = ${pid}`);
  return rows[0] ? processFromRow(rows[0]) : null;
}

export async function lockProcess(ex: Executor, schema: string, pid: string): Promise<Process | null> {
  const { rows } = await ex.run<ProcessRow>(
    sql`SELECT * FROM ${table(schema)} WHERE pid = ${pid} FOR UPDATE`,
  );
  return rows[0] ? processFromRow(rows[0]) : null;
}

export async function insertProcess(ex: Executor, schema: string, p: Process): Promise<Process> {
  const { rows } = await ex.run<ProcessRow>(sql`INSERT INTO ${table(schema)} (pid, service, state, parent_id,
      predecessor_id, entity, record_id, operator_id, role, skills, priority, due_at, scheduled_start,
      scheduled_end, started_at, ended_at, ready_since, context, wait_reason, wait_on, exit_reason, version,
      created_at, updated_at, created_by, updated_by)
    VALUES (${p.pid}, ${p.service}, ${p.state}, ${p.parentId}, ${p.predecessorId}, ${p.entity}, ${p.recordId},
      ${p.operatorId}, ${p.role}, ${p.skills}::text[], ${p.priority}, ${p.dueAt}, ${p.scheduledStart},
      ${p.scheduledEnd}, ${p.startedAt}, ${p.endedAt}, ${p.readySince}, ${JSON.stringify(p.context)}::jsonb,
      ${p.waitReason}, ${p.waitOn ? JSON.stringify(p.waitOn) : null}::jsonb, ${p.exitReason}, 1,
      ${p.createdAt}, ${p.updatedAt}, ${p.createdBy}, ${p.createdBy})
    RETURNING *`);
  return processFromRow(rows[0]!);
}

/** Saves the fields a transition changes (and the context); bumps the version. */
export async function updateProcess(
  ex: Executor,
  schema: string,
  p: Process,
  meta: { at: string; by: string | null },
): Promise<Process> {
  const { rows } = await ex.run<ProcessRow>(sql`UPDATE ${table(schema)} SET state = ${p.state},
      operator_id = ${p.operatorId}, wait_reason = ${p.waitReason},
      wait_on = ${p.waitOn ? JSON.stringify(p.waitOn) : null}::jsonb, exit_reason = ${p.exitReason},
      started_at = ${p.startedAt}, ended_at = ${p.endedAt}, ready_since = ${p.readySince},
      context = ${JSON.stringify(p.context)}::jsonb, version = version + 1, updated_at = ${meta.at},
      updated_by = ${meta.by}
    WHERE pid = ${p.pid} RETURNING *`);
  return processFromRow(rows[0]!);
}

export type ProcessHistoryEntry = {
  id: string;
  pid: string;
  at: string;
  transition: string;
  fromState: ProcessState | null;
  toState: ProcessState;
  actorId: string | null;
  actorName: string;
  reason: string | null;
  data: Record<string, unknown> | null;
};

export async function insertHistory(ex: Executor, schema: string, e: ProcessHistoryEntry): Promise<void> {
  await ex.run(sql`INSERT INTO ${sql.id(schema, '_process_event')} (id, pid, at, transition, from_state,
      to_state, actor_id, actor_name, reason, data)
    VALUES (${e.id}, ${e.pid}, ${e.at}, ${e.transition}, ${e.fromState}, ${e.toState}, ${e.actorId},
      ${e.actorName}, ${e.reason}, ${e.data ? JSON.stringify(e.data) : null}::jsonb)`);
}

export async function listHistory(ex: Executor, schema: string, pid: string): Promise<ProcessHistoryEntry[]> {
  const { rows } = await ex.run<Record<string, unknown>>(sql`SELECT * FROM ${sql.id(schema, '_process_event')}
    WHERE pid = ${pid} ORDER BY at, id`);
  return rows.map((r) => ({
    id: r.id as string,
    pid: r.pid as string,
    at: r.at as string,
    transition: r.transition as string,
    fromState: r.from_state as ProcessState | null,
    toState: r.to_state as ProcessState,
    actorId: r.actor_id as string | null,
    actorName: r.actor_name as string,
    reason: r.reason as string | null,
    data: r.data as Record<string, unknown> | null,
  }));
}

export async function listChildren(ex: Executor, schema: string, parentId: string): Promise<Process[]> {
  const { rows } = await ex.run<ProcessRow>(sql`SELECT * FROM ${table(schema)} WHERE parent_id = ${parentId}
    ORDER BY created_at, pid`);
  return rows.map(processFromRow);
}

export async function countLiveChildren(ex: Executor, schema: string, parentId: string): Promise<number> {
  const { rows } = await ex.run<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${table(schema)}
    WHERE parent_id = ${parentId} AND state <> 'TERMINATED'`);
  return rows[0]?.n ?? 0;
}

/** Processes that follow `pid` in a chain and are still alive. */
export async function liveSuccessors(ex: Executor, schema: string, pid: string): Promise<string[]> {
  const { rows } = await ex.run<{ pid: string }>(sql`SELECT pid FROM ${table(schema)}
    WHERE predecessor_id = ${pid} AND state <> 'TERMINATED' ORDER BY pid`);
  return rows.map((r) => r.pid);
}

export type ProcessFilter = {
  state?: ProcessState;
  service?: string;
  operatorId?: string;
  entity?: string;
  recordId?: string;
  parentId?: string;
};

export async function listProcesses(
  ex: Executor,
  schema: string,
  filter: ProcessFilter,
  page: { limit: number; offset: number },
): Promise<{ items: Process[]; total: number }> {
  const conditions = [sql`true`];
  if (filter.state) conditions.push(sql`state = ${filter.state}`);
  if (filter.service) conditions.push(sql`service = ${filter.service}`);
  if (filter.operatorId) conditions.push(sql`operator_id = ${filter.operatorId}`);
  if (filter.entity) conditions.push(sql`entity = ${filter.entity}`);
  if (filter.recordId) conditions.push(sql`record_id = ${filter.recordId}`);
  if (filter.parentId) conditions.push(sql`parent_id = ${filter.parentId}`);
  const where = sql.join(conditions, sql` AND `);
  const { rows } = await ex.run<ProcessRow & { total: number }>(sql`SELECT *, count(*) OVER ()::int AS total
    FROM ${table(schema)} WHERE ${where} ORDER BY created_at DESC, pid DESC
    LIMIT ${page.limit} OFFSET ${page.offset}`);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && page.offset > 0) {
    const count = await ex.run<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ${table(schema)} WHERE ${where}`,
    );
    total = count.rows[0]?.n ?? 0;
  }
  return { items: rows.map(processFromRow), total };
}
