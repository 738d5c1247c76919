/**
 * An operator's task lists: `mine` (READY assigned to me, RUNNING, WAITING on my behalf), `available`
 * (READY, unassigned, for my roles and skills), `suspended` (my holds). Each task carries its service
 * label, the bound record's title, priority and due time; most urgent first.
 */
import { type Locale, labelText } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import { isEligible, type Operator } from '../domain/process-access.ts';
import type { KernelEnv } from '../env.ts';
import { processFromRow } from '../processes/process.repository.ts';
import type { Process } from '../types.ts';

export type TaskList = 'mine' | 'available' | 'suspended';
export const TASK_LISTS: readonly TaskList[] = ['mine', 'available', 'suspended'];

export type Task = Process & { serviceLabel: string; recordTitle: string | null };

const MAX_TASKS = 500;

export async function listTasks(
  ex: Executor,
  env: Pick<KernelEnv, 'metamodel' | 'definitions'>,
  input: { operator: Operator; list: TaskList; locale: Locale; limit?: number },
): Promise<Task[]> {
  const schema = env.definitions.tenant.schemaName;
  const me = input.operator.userId;
  const limit = Math.min(input.limit ?? MAX_TASKS, MAX_TASKS);
  const where =
    input.list === 'mine'
      ? sql`operator_id = ${me} AND state IN ('READY', 'RUNNING', 'WAITING')`
      : input.list === 'suspended'
        ? sql`operator_id = ${me} AND state = 'SUSPENDED'`
        : sql`operator_id IS NULL AND state = 'READY'
            AND (role IS NULL OR role = ANY(${[...input.operator.roles]}::text[]))
            AND skills <@ ${[...input.operator.skills]}::text[]`;
  const { rows } = await ex.run<
    Parameters<typeof processFromRow>[0]
  >(sql`SELECT * FROM ${sql.id(schema, '_process')}
    WHERE ${where}
    ORDER BY (state = 'RUNNING') DESC, priority DESC, due_at ASC NULLS LAST, ready_since ASC NULLS LAST, pid
    LIMIT ${limit}`);
  const processes = rows
    .map(processFromRow)
    .filter((p) => input.list !== 'available' || isEligible(p, input.operator));
  const titles = await recordTitles(ex, env, processes);
  return processes.map((p) => ({
    ...p,
    serviceLabel: labelText(env.definitions.services.get(p.service)?.label, input.locale, p.service),
    recordTitle: p.entity && p.recordId ? (titles.get(`${p.entity}:${p.recordId}`) ?? null) : null,
  }));
}

/** Titles of the bound records, one query per entity. */
async function recordTitles(
  ex: Executor,
  env: Pick<KernelEnv, 'metamodel' | 'definitions'>,
  processes: Process[],
): Promise<Map<string, string>> {
  const byEntity = new Map<string, string[]>();
  for (const p of processes) {
    if (p.entity && p.recordId) byEntity.set(p.entity, [...(byEntity.get(p.entity) ?? []), p.recordId]);
  }
  const titles = new Map<string, string>();
  for (const [entity, ids] of byEntity) {
    const compiled = env.metamodel.find(entity);
    if (!compiled?.titleField) continue;
    const { rows } = await ex.run<{ id: string; title: string | null }>(sql`SELECT id,
        ${sql.id(compiled.titleField)}::text AS title
      FROM ${sql.id(env.definitions.tenant.schemaName, compiled.table.name)} WHERE id = ANY(${ids}::uuid[])`);
    for (const r of rows) if (r.title !== null) titles.set(`${entity}:${r.id}`, r.title);
  }
  return titles;
}
