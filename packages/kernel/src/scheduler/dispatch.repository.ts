/**
 * What a dispatch round reads: READY unassigned processes (locked SKIP LOCKED when dispatching), the
 * tenant's operators (membership roles and `skills` attributes, their load, their person resource's
 * calendar), and the resources the processes need (locked in id order) with their live allocations.
 */
import { type Executor, PLATFORM_SCHEMA, sql } from '@tenon/db';
import type { KernelEnv } from '../env.ts';
import { isWithinCalendar } from './domain/calendar.ts';
import type { DispatchOperator, DispatchResource, ReadyProcess } from './domain/plan-dispatch.ts';
import { loadResources, loadUses } from './resource.repository.ts';

export type RoundInput = {
  processes: ReadyProcess[];
  operators: DispatchOperator[];
  resources: DispatchResource[];
  now: number;
};

type ReadyRow = {
  pid: string;
  service: string;
  priority: number;
  ready: string;
  due: string | null;
  role: string | null;
  skills: string[];
  booked: boolean;
  booked_users: string[] | null;
};

const ms = (v: string | null) => (v === null ? null : Number(v));

export async function loadRound(
  ex: Executor,
  env: KernelEnv,
  input: { lock: boolean; limit: number },
): Promise<RoundInput> {
  const schema = env.definitions.tenant.schemaName;
  const now = env.clock.now().getTime();
  const alloc = sql.id(schema, '_allocation');
  const { rows } = await ex.run<ReadyRow>(sql`SELECT pid, service, priority, role, skills,
      EXISTS (SELECT 1 FROM ${alloc} a WHERE a.pid = p.pid AND a.released_at IS NULL) AS booked,
      (SELECT array_agg(r.${sql.id('user')}) FROM ${alloc} a JOIN ${sql.id(schema, 'resource')} r ON r.id = a.resource_id
        WHERE a.pid = p.pid AND a.released_at IS NULL AND r.${sql.id('user')} IS NOT NULL) AS booked_users,
      (extract(epoch FROM coalesce(ready_since, created_at)) * 1000)::bigint::text AS ready,
      (extract(epoch FROM due_at) * 1000)::bigint::text AS due
    FROM ${sql.id(schema, '_process')} p
    WHERE state = 'READY' AND operator_id IS NULL
    ORDER BY priority DESC, ready_since ASC NULLS LAST
    LIMIT ${input.limit} ${input.lock ? sql`FOR UPDATE SKIP LOCKED` : sql``}`);
  const processes: ReadyProcess[] = rows.map((r) => {
    const def = env.definitions.services.get(r.service);
    return {
      pid: r.pid,
      priority: Number(r.priority),
      readySince: Number(r.ready),
      dueAt: ms(r.due),
      role: r.role,
      skills: r.skills ?? [],
      // A booked process already holds its resources; a booked person resource's user does the work.
      requirements: r.booked ? [] : (def?.resources ?? []),
      ...(r.booked_users?.length ? { operators: r.booked_users } : {}),
      minutes: def?.durationMinutes ?? 60,
    };
  });
  const types = [...new Set(processes.flatMap((p) => p.requirements.map((r) => r.type)))];
  const resources = await loadResources(ex, schema, { types, lock: input.lock });
  const longest = Math.max(
    60,
    ...processes.flatMap((p) => [p.minutes, ...p.requirements.map((r) => r.minutes ?? 0)]),
  );
  const uses = await loadUses(ex, schema, {
    resourceIds: resources.map((r) => r.id),
    from: now,
    to: now + longest * 60_000,
  });
  return {
    processes,
    resources: resources.map((r) => ({ ...r, uses: uses.get(r.id) ?? [] })),
    operators: await loadOperators(ex, env, now),
    now,
  };
}

/** Members of the tenant with their roles, skills and load; away when their person resource is. */
export async function loadOperators(ex: Executor, env: KernelEnv, now: number): Promise<DispatchOperator[]> {
  const schema = env.definitions.tenant.schemaName;
  const { rows } = await ex.run<{
    user_id: string;
    roles: string[];
    attributes: Record<string, unknown>;
    load: number;
  }>(
    sql`SELECT m.user_id::text AS user_id, m.roles, m.attributes,
        (SELECT count(*)::int FROM ${sql.id(schema, '_process')} p
          WHERE p.operator_id = m.user_id::text AND p.state IN ('READY', 'RUNNING', 'WAITING')) AS load
      FROM ${sql.id(PLATFORM_SCHEMA, 'membership')} m
      JOIN ${sql.id(PLATFORM_SCHEMA, 'user')} u ON u.id = m.user_id
      WHERE m.tenant_id = ${env.definitions.tenant.id} AND NOT u.disabled
      ORDER BY m.user_id`,
  );
  const persons = await ex.run<{ id: string }>(sql`SELECT id FROM ${sql.id(schema, 'resource')}
    WHERE ${sql.id('user')} IS NOT NULL AND active IS NOT FALSE`);
  const people = await loadResources(ex, schema, { ids: persons.rows.map((r) => r.id) });
  // Away: their person resource's calendar is closed now (what they are booked for counts as load).
  const away = new Set<string>();
  for (const p of people) {
    const closed = p.calendar === 'invalid' || !isWithinCalendar(p.calendar, now, now + 60_000);
    if (p.user && closed) away.add(p.user);
  }
  return rows.map((r) => {
    const skills = r.attributes?.skills;
    return {
      userId: r.user_id,
      roles: r.roles ?? [],
      skills: Array.isArray(skills) ? skills.filter((s): s is string => typeof s === 'string') : [],
      load: Number(r.load),
      available: !away.has(r.user_id),
    };
  });
}

/** NEW processes whose scheduled start has come (booked slots), locked SKIP LOCKED. */
export async function dueForAdmission(ex: Executor, schema: string, now: number): Promise<string[]> {
  const { rows } = await ex.run<{ pid: string }>(sql`SELECT pid FROM ${sql.id(schema, '_process')}
    WHERE state = 'NEW' AND scheduled_start <= ${new Date(now).toISOString()}::timestamptz
    ORDER BY scheduled_start, pid LIMIT 1000 FOR UPDATE SKIP LOCKED`);
  return rows.map((r) => r.pid);
}
