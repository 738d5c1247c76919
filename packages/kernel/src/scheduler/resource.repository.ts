/** Resources and their allocations: SQL only. Locks take resource rows in id order (no deadlocks). */
import { newId } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import { parseCalendar } from './domain/calendar.ts';
import type { Use } from './domain/capacity.ts';
import type { CandidateResource, ResourcePick } from './domain/pick-resources.ts';

type ResourceRow = {
  id: string;
  code: string;
  name: string;
  type: string;
  capacity: number;
  skills: unknown;
  calendar: unknown;
  user: string | null;
};

export type ResourceInfo = Omit<CandidateResource, 'uses'>;

function fromRow(r: ResourceRow): ResourceInfo {
  const parsed = parseCalendar(r.calendar);
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    type: r.type,
    capacity: Number(r.capacity),
    skills: Array.isArray(r.skills) ? r.skills.filter((s): s is string => typeof s === 'string') : [],
    calendar: 'error' in parsed ? 'invalid' : parsed.calendar,
    user: r.user,
  };
}

/** Active resources of these types, in id order; `lock` takes them FOR UPDATE in that order. */
export async function loadResources(
  ex: Executor,
  schema: string,
  input: { types?: readonly string[]; ids?: readonly string[]; lock?: boolean },
): Promise<ResourceInfo[]> {
  const where = input.ids
    ? sql`id = ANY(${[...input.ids]}::uuid[])`
    : sql`active IS NOT FALSE AND type = ANY(${[...(input.types ?? [])]}::text[])`;
  const { rows } = await ex.run<ResourceRow>(sql`SELECT id, code, name, type, capacity, skills, calendar,
      ${sql.id('user')} AS "user"
    FROM ${sql.id(schema, 'resource')} WHERE ${where} ORDER BY id ${input.lock ? sql`FOR UPDATE` : sql``}`);
  return rows.map(fromRow);
}

/** Live allocations of these resources overlapping [from, to). */
export async function loadUses(
  ex: Executor,
  schema: string,
  input: { resourceIds: readonly string[]; from: number; to: number },
): Promise<Map<string, Use[]>> {
  const out = new Map<string, Use[]>();
  if (input.resourceIds.length === 0) return out;
  const { rows } = await ex.run<{ resource_id: string; pid: string; quantity: number; s: string; e: string }>(
    sql`SELECT resource_id, pid, quantity,
        (extract(epoch FROM start_at) * 1000)::bigint::text AS s, (extract(epoch FROM end_at) * 1000)::bigint::text AS e
      FROM ${sql.id(schema, '_allocation')}
      WHERE released_at IS NULL AND resource_id = ANY(${[...input.resourceIds]}::uuid[])
        AND start_at < ${new Date(input.to).toISOString()}::timestamptz
        AND end_at > ${new Date(input.from).toISOString()}::timestamptz`,
  );
  for (const r of rows) {
    const list = out.get(r.resource_id) ?? [];
    list.push({ start: Number(r.s), end: Number(r.e), quantity: Number(r.quantity), pid: r.pid });
    out.set(r.resource_id, list);
  }
  return out;
}

export type AllocationRow = {
  id: string;
  pid: string;
  resourceId: string;
  quantity: number;
  startAt: string;
  endAt: string;
  kind: 'booking' | 'hold';
  releasedAt: string | null;
};

/** Writes allocations of one or more processes in one statement. */
export async function insertAllocations(
  ex: Executor,
  schema: string,
  input: {
    items: { pid: string; picks: readonly ResourcePick[] }[];
    kind: 'booking' | 'hold';
    by: string | null;
  },
): Promise<AllocationRow[]> {
  const out: AllocationRow[] = input.items.flatMap(({ pid, picks }) =>
    picks.map((p) => ({
      id: newId(),
      pid,
      resourceId: p.resourceId,
      quantity: p.quantity,
      startAt: new Date(p.start).toISOString(),
      endAt: new Date(p.end).toISOString(),
      kind: input.kind,
      releasedAt: null,
    })),
  );
  if (out.length === 0) return out;
  const values = out.map(
    (r) => sql`(${r.id}::uuid, ${r.pid}::uuid, ${r.resourceId}::uuid, ${r.quantity}::int,
      ${r.startAt}::timestamptz, ${r.endAt}::timestamptz, ${r.kind}, ${input.by})`,
  );
  await ex.run(sql`INSERT INTO ${sql.id(schema, '_allocation')}
    (id, pid, resource_id, quantity, start_at, end_at, kind, created_by) VALUES ${sql.join(values)}`);
  return out;
}

const toIso = (v: unknown): string =>
  v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();

/** Allocations of a resource overlapping [from, to), released ones included, by start. */
export async function listAllocations(
  ex: Executor,
  schema: string,
  input: { resourceId?: string; pid?: string; from?: string; to?: string },
): Promise<AllocationRow[]> {
  const conds = [sql`true`];
  if (input.resourceId) conds.push(sql`resource_id = ${input.resourceId}`);
  if (input.pid) conds.push(sql`pid = ${input.pid}`);
  if (input.to) conds.push(sql`start_at < ${input.to}::timestamptz`);
  if (input.from) conds.push(sql`end_at > ${input.from}::timestamptz`);
  const { rows } = await ex.run<Record<string, unknown>>(sql`SELECT * FROM ${sql.id(schema, '_allocation')}
    WHERE ${sql.join(conds, sql` AND `)} ORDER BY start_at, id LIMIT 1000`);
  return rows.map((r) => ({
    id: String(r.id),
    pid: String(r.pid),
    resourceId: String(r.resource_id),
    quantity: Number(r.quantity),
    startAt: toIso(r.start_at),
    endAt: toIso(r.end_at),
    kind: r.kind as AllocationRow['kind'],
    releasedAt: r.released_at ? toIso(r.released_at) : null,
  }));
}
