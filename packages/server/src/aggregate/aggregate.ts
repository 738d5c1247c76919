/**
 * Counts and sums of an entity's records, optionally grouped by a select, link, boolean, text or date
 * field (dates by day, week or month; datetimes in the tenant's time zone). The records counted are
 * exactly the ones the list would show the user: their role's row condition and the request's filter,
 * and no hidden field may be grouped, summed or filtered. Sums are NUMERIC, answered as decimal strings.
 */
import { AppError } from '@tenon/core';
import { type Executor, type RawBuilder, sql } from '@tenon/db';
import {
  type AccessPolicy,
  type CompiledEntity,
  DEFAULT_TIME_ZONE,
  type FieldDef,
  type FilterNode,
  fieldOrSystem,
  filterSql,
  requireAccess,
  type TenantMetamodel,
} from '@tenon/design';
import { ConsoleErrors } from '../me/me-errors.ts';

export const DATE_UNITS = ['day', 'week', 'month'] as const;
export type DateUnit = (typeof DATE_UNITS)[number];
const GROUP_KINDS = new Set(['select', 'link', 'boolean', 'string', 'date', 'datetime']);
const SUM_KINDS = new Set(['integer', 'decimal', 'money', 'quantity']);
const MAX_GROUPS = 200;

export type AggregateSpec = {
  measure: { kind: 'count' } | { kind: 'sum'; field: string };
  group: { field: string; unit: DateUnit | null } | null;
};

export type AggregateResult = {
  /** The whole total (without groupBy). */
  value?: string;
  /** One entry per group key (null = no value), by key; `label` is a linked record's title. */
  groups?: { key: string | null; label?: string; value: string }[];
};

const bad = (reason: string) => new AppError(ConsoleErrors.CONSOLE_AGGREGATE_INVALID, { reason });

function visibleField(entity: CompiledEntity, access: AccessPolicy, name: string): FieldDef {
  const field = fieldOrSystem(entity, name);
  if (!field || access.decide(entity.def.name, 'read').hiddenFields.has(name))
    throw bad(`unknown field ${name}`);
  if (field.encrypted) throw bad(`${name} is encrypted`);
  return field;
}

/** `measure=count|sum:<field>` and `groupBy=<field>[:day|week|month]`, checked against the entity. */
export function parseAggregate(
  entity: CompiledEntity,
  access: AccessPolicy,
  input: { measure?: unknown; groupBy?: unknown },
): AggregateSpec {
  const measureText = input.measure === undefined || input.measure === '' ? 'count' : String(input.measure);
  let measure: AggregateSpec['measure'];
  if (measureText === 'count') measure = { kind: 'count' };
  else {
    const m = /^sum:([a-z_][a-z0-9_]*)$/i.exec(measureText);
    if (!m) throw bad('measure is count or sum:<field>');
    const field = visibleField(entity, access, m[1]!);
    if (!SUM_KINDS.has(field.kind)) throw bad(`${field.name} is not a number, it cannot be summed`);
    measure = { kind: 'sum', field: field.name };
  }
  let group: AggregateSpec['group'] = null;
  if (input.groupBy !== undefined && input.groupBy !== '') {
    const [name, unit, ...rest] = String(input.groupBy).split(':');
    const field = visibleField(entity, access, name!);
    if (rest.length > 0 || !GROUP_KINDS.has(field.kind)) throw bad(`cannot group by ${input.groupBy}`);
    const dated = field.kind === 'date' || field.kind === 'datetime';
    if (unit !== undefined && (!dated || !(DATE_UNITS as readonly string[]).includes(unit)))
      throw bad(`${field.name} groups by ${dated ? DATE_UNITS.join(', ') : 'its value'}`);
    group = { field: field.name, unit: dated ? ((unit as DateUnit | undefined) ?? 'day') : null };
  }
  if (measure.kind === 'sum') {
    const summed = entity.fields.get(measure.field)!;
    // Amounts in several currencies do not add up: only per currency.
    if (summed.currencyField && group?.field !== summed.currencyField)
      throw bad(`${summed.name} has a currency per record: group by ${summed.currencyField}`);
  }
  return { measure, group };
}

function keySql(entity: CompiledEntity, group: NonNullable<AggregateSpec['group']>): RawBuilder<unknown> {
  const col = sql.id('t', group.field);
  const field = fieldOrSystem(entity, group.field)!;
  if (field.kind === 'date') return sql`to_char(date_trunc(${group.unit}, ${col}::timestamp), 'YYYY-MM-DD')`;
  if (field.kind === 'datetime') {
    const zone = entity.tenant.settings.timeZone ?? DEFAULT_TIME_ZONE;
    return sql`to_char(date_trunc(${group.unit}, ${col} AT TIME ZONE ${zone}), 'YYYY-MM-DD')`;
  }
  return sql`${col}::text`;
}

export async function aggregateRecords(
  db: Executor,
  input: {
    metamodel: TenantMetamodel;
    entity: CompiledEntity;
    access: AccessPolicy;
    spec: AggregateSpec;
    filters: (FilterNode | null)[];
  },
): Promise<AggregateResult> {
  const { metamodel, entity, access, spec } = input;
  const decision = requireAccess(access, entity.def.name, 'read');
  const where = [
    ...input.filters.map((f) => filterSql(metamodel, entity, 't', f, access)),
    filterSql(metamodel, entity, 't', decision.rowFilter),
  ];
  const measure =
    spec.measure.kind === 'count'
      ? sql`count(*)::text`
      : sql`COALESCE(sum(${sql.id('t', spec.measure.field)}), 0)::text`;
  const from = sql`${sql.id(entity.tenant.schemaName, entity.def.name)} AS t WHERE ${sql.join(where, sql` AND `)}`;
  if (!spec.group) {
    const { rows } = await db.run<{ value: string }>(sql`SELECT ${measure} AS value FROM ${from}`);
    return { value: rows[0]?.value ?? '0' };
  }
  const { rows } = await db.run<{ key: string | null; value: string }>(
    sql`SELECT ${keySql(entity, spec.group)} AS key, ${measure} AS value FROM ${from}
        GROUP BY 1 ORDER BY 1 NULLS LAST LIMIT ${MAX_GROUPS}`,
  );
  const labels = await linkLabels(
    db,
    input,
    spec.group.field,
    rows.map((r) => r.key),
  );
  return {
    groups: rows.map((r) => ({
      key: r.key,
      ...(r.key !== null && labels.has(r.key) ? { label: labels.get(r.key)! } : {}),
      value: r.value,
    })),
  };
}

/** Titles of the linked records the user may read (others keep their id). */
async function linkLabels(
  db: Executor,
  input: { metamodel: TenantMetamodel; entity: CompiledEntity; access: AccessPolicy },
  fieldName: string,
  keys: (string | null)[],
): Promise<Map<string, string>> {
  const field = input.entity.fields.get(fieldName);
  const ids = keys.filter((k): k is string => k !== null);
  if (field?.kind !== 'link' || !field.target || ids.length === 0) return new Map();
  const target = input.metamodel.get(field.target);
  const read = input.access.decide(target.def.name, 'read');
  const title = target.titleField;
  if (!read.allowed || !title || read.hiddenFields.has(title) || target.fields.get(title)?.encrypted)
    return new Map();
  const { rows } = await db.run<{ id: string; title: string | null }>(
    sql`SELECT t.id, ${sql.id('t', title)}::text AS title
        FROM ${sql.id(target.tenant.schemaName, target.def.name)} AS t
        WHERE t.id IN (${sql.join(ids)}) AND ${filterSql(input.metamodel, target, 't', read.rowFilter)}`,
  );
  return new Map(rows.filter((r) => r.title !== null).map((r) => [r.id, r.title!]));
}
