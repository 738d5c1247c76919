/**
 * List filters: parsed from the query string (`filter[field][op]=value`) or a JSON `filter`
 * parameter with and/or groups. Field names and operators come only from the metamodel; values
 * are checked against the field's kind and always bound.
 */
import { AppError, isBusinessDate, isDecimalText, isInstant, isTimeOfDay, isUuid } from '@tenon/core';
import { type RawBuilder, sql } from '@tenon/db';
import { joinTableName } from '../ddl/physical.ts';
import type { CompiledEntity, TenantMetamodel } from '../registry.ts';
import type { FieldDef } from '../types.ts';
import type { AccessPolicy } from './access.ts';
import { RecordErrors } from './record-errors.ts';

export const OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'nin',
  'contains',
  'between',
  'null',
] as const;
export type Operator = (typeof OPERATORS)[number];

export type Condition = { field: string; op: Operator; value?: unknown };
export type FilterNode = { and: FilterNode[] } | { or: FilterNode[] } | Condition;

const MAX_IN_VALUES = 500;
const MAX_NODES = 100;

/** System columns, described as fields so they filter and sort like any other. */
export const SYSTEM_FIELD_DEFS: Record<string, FieldDef> = {
  id: { name: 'id', label: { en: 'ID' }, kind: 'link' },
  version: { name: 'version', label: { en: 'Version' }, kind: 'integer' },
  created_at: { name: 'created_at', label: { en: 'Created at' }, kind: 'datetime' },
  updated_at: { name: 'updated_at', label: { en: 'Updated at' }, kind: 'datetime' },
  created_by: { name: 'created_by', label: { en: 'Created by' }, kind: 'string' },
  updated_by: { name: 'updated_by', label: { en: 'Updated by' }, kind: 'string' },
};

const bad = (reason: string) => new AppError(RecordErrors.QUERY_INVALID, { reason });

export function fieldOrSystem(entity: CompiledEntity, name: string): FieldDef | undefined {
  // hasOwn: `constructor` or `__proto__` must not find Object.prototype's members.
  return (
    entity.fields.get(name) ?? (Object.hasOwn(SYSTEM_FIELD_DEFS, name) ? SYSTEM_FIELD_DEFS[name] : undefined)
  );
}

const ORDERED_KINDS = new Set([
  'string',
  'text',
  'integer',
  'decimal',
  'money',
  'quantity',
  'date',
  'datetime',
  'time',
  'select',
  'sequence',
  'formula',
]);
const TEXT_KINDS = new Set(['string', 'text', 'select', 'sequence']);

/** Checks and converts one filter value to what is bound for the field's column. */
export function filterValue(field: FieldDef, raw: unknown): unknown {
  const kind = field.kind === 'formula' ? (field.resultKind ?? 'string') : field.kind;
  const text = typeof raw === 'string' ? raw : raw === null || raw === undefined ? null : String(raw);
  if (text === null) throw bad(`a value is required for ${field.name}`);
  const ok = (() => {
    switch (kind) {
      case 'integer':
        return /^-?\d{1,18}$/.test(text);
      case 'decimal':
      case 'money':
      case 'quantity':
        return isDecimalText(text);
      case 'boolean':
        return text === 'true' || text === 'false';
      case 'date':
        return isBusinessDate(text);
      case 'datetime':
        return isInstant(text);
      case 'time':
        return isTimeOfDay(text);
      case 'link':
      case 'attachment':
      case 'multi_link':
        return isUuid(text);
      default:
        return text.length <= 1000 && !text.includes('\u0000');
    }
  })();
  if (!ok) throw bad(`${JSON.stringify(text)} is not a valid value for ${field.name} (${kind})`);
  if (kind === 'boolean') return text === 'true';
  // As bigint: `version` is an int4 column, and an int4 parameter out of range would be a 500.
  if (kind === 'integer') return sql`${text}::bigint`;
  return text;
}

function listValues(field: FieldDef, raw: unknown): unknown[] {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw];
  if (items.length === 0 || items.length > MAX_IN_VALUES)
    throw bad(`between 1 and ${MAX_IN_VALUES} values are allowed`);
  return items.map((v) => filterValue(field, v));
}

function conditionSql(
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  alias: string,
  cond: Condition,
  access: AccessPolicy | undefined,
): RawBuilder<unknown> {
  if (!OPERATORS.includes(cond.op))
    throw bad(`unknown operator ${String(cond.op)}; use one of ${OPERATORS.join(', ')}`);
  const path = String(cond.field).split('.');
  if (path.length > 2) throw bad(`link paths go one level deep: ${cond.field}`);
  const field = fieldOrSystem(entity, path[0]!);
  // A field the user may not see does not exist for them, in filters too (nothing leaks through a filter).
  if (!field || access?.decide(entity.def.name, 'read').hiddenFields.has(field.name))
    throw bad(`unknown field ${path[0]}`);
  if (path.length === 2) {
    if (field.kind !== 'link' || !field.target)
      throw bad(`${field.name} is not a link, so ${cond.field} is not a path`);
    const target = metamodel.get(field.target!);
    let visible = sql`TRUE`;
    if (access) {
      const decision = access.decide(target.def.name, 'read');
      if (!decision.allowed) throw bad(`unknown field ${cond.field}`);
      visible = filterSql(metamodel, target, 'l', decision.rowFilter);
    }
    const inner = conditionSql(metamodel, target, 'l', { ...cond, field: path[1]! }, access);
    return sql`${sql.id(alias, field.name)} IN (SELECT l.id FROM ${sql.id(target.tenant.schemaName, target.def.name)} AS l WHERE ${inner} AND ${visible})`;
  }
  if (field.kind === 'children' || field.kind === 'json') throw bad(`${field.name} cannot be filtered`);
  if (field.encrypted && cond.op !== 'null')
    throw bad(`${field.name} is encrypted: it can only be filtered with null`);
  if (field.kind === 'multi_link') return multiLinkCondition(entity, alias, field, cond);
  const col = sql.id(alias, field.name);
  switch (cond.op) {
    case 'null': {
      const isNull = cond.value === undefined || cond.value === true || cond.value === 'true';
      if (!isNull && cond.value !== false && cond.value !== 'false') throw bad('null takes true or false');
      return isNull ? sql`${col} IS NULL` : sql`${col} IS NOT NULL`;
    }
    case 'eq':
      return sql`${col} = ${filterValue(field, cond.value)}`;
    case 'ne':
      return sql`${col} IS DISTINCT FROM ${filterValue(field, cond.value)}`;
    case 'in':
      return sql`${col} IN (${sql.join(listValues(field, cond.value))})`;
    case 'nin':
      return sql`(${col} IS NULL OR ${col} NOT IN (${sql.join(listValues(field, cond.value))}))`;
    case 'contains': {
      if (
        !TEXT_KINDS.has(field.kind) &&
        !(field.kind === 'formula' && (field.resultKind ?? 'string') === 'string')
      ) {
        throw bad(`contains works on text fields, not ${field.name}`);
      }
      const needle = String(filterValue(field, cond.value)).replace(/[\\%_]/g, (c) => `\\${c}`);
      return sql`${col} ILIKE ${`%${needle}%`}`;
    }
    case 'between': {
      const values = listValues(field, cond.value);
      if (values.length !== 2) throw bad('between takes two values: low,high');
      if (!ORDERED_KINDS.has(field.kind)) throw bad(`${field.name} has no order`);
      return sql`${col} BETWEEN ${values[0]} AND ${values[1]}`;
    }
    default: {
      if (!ORDERED_KINDS.has(field.kind)) throw bad(`${field.name} has no order`);
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[cond.op];
      return sql`${col} ${sql.raw(op)} ${filterValue(field, cond.value)}`;
    }
  }
}

function multiLinkCondition(
  entity: CompiledEntity,
  alias: string,
  field: FieldDef,
  cond: Condition,
): RawBuilder<unknown> {
  const jt = sql.id(entity.tenant.schemaName, joinTableName(entity.def.name, field.name));
  const exists = (ids: unknown[] | null) =>
    ids
      ? sql`EXISTS (SELECT 1 FROM ${jt} AS j WHERE j.source_id = ${sql.id(alias, 'id')} AND j.target_id IN (${sql.join(ids)}))`
      : sql`EXISTS (SELECT 1 FROM ${jt} AS j WHERE j.source_id = ${sql.id(alias, 'id')})`;
  switch (cond.op) {
    case 'eq':
    case 'in':
      return exists(listValues(field, cond.value));
    case 'ne':
    case 'nin':
      return sql`NOT ${exists(listValues(field, cond.value))}`;
    case 'null': {
      const isNull = cond.value === undefined || cond.value === true || cond.value === 'true';
      if (!isNull && cond.value !== false && cond.value !== 'false') throw bad('null takes true or false');
      return isNull ? sql`NOT ${exists(null)}` : exists(null);
    }
    default:
      throw bad(`${field.name} supports eq, ne, in, nin and null`);
  }
}

/** The WHERE clause of a filter tree (TRUE when empty). */
export function filterSql(
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  alias: string,
  node: FilterNode | null,
  /** When given, hidden fields and unreadable link targets are refused as unknown. */
  access?: AccessPolicy,
): RawBuilder<unknown> {
  if (!node) return sql`TRUE`;
  let count = 0;
  const walk = (n: FilterNode): RawBuilder<unknown> => {
    if (++count > MAX_NODES) throw bad(`at most ${MAX_NODES} conditions`);
    if (typeof n !== 'object' || n === null || Array.isArray(n)) throw bad('a filter node must be an object');
    if ('and' in n || 'or' in n) {
      const list = 'and' in n ? n.and : (n as { or: FilterNode[] }).or;
      if (!Array.isArray(list) || list.length === 0) throw bad('and/or take a non-empty list');
      const parts = list.map(walk);
      return sql`(${sql.join(parts, 'and' in n ? sql` AND ` : sql` OR `)})`;
    }
    if (typeof n.field !== 'string' || typeof n.op !== 'string')
      throw bad('a condition has field, op and value');
    return conditionSql(metamodel, entity, alias, n, access);
  };
  return walk(node);
}

const FILTER_KEY = /^filter\[([^\]]+)\](?:\[([^\]]+)\])?$/;

/** Reads `filter[field][op]=value` keys and the JSON `filter` parameter into one tree. */
export function parseFilterParams(query: Record<string, unknown>): FilterNode | null {
  const conditions: FilterNode[] = [];
  for (const [key, raw] of Object.entries(query)) {
    const m = FILTER_KEY.exec(key);
    if (!m) continue;
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) conditions.push({ field: m[1]!, op: (m[2] ?? 'eq') as Operator, value });
  }
  if (typeof query.filter === 'string' && query.filter !== '') {
    try {
      conditions.push(JSON.parse(query.filter) as FilterNode);
    } catch {
      throw bad('filter must be JSON, e.g. {"or":[{"field":"name","op":"contains","value":"a"}]}');
    }
  }
  if (conditions.length === 0) return null;
  return conditions.length === 1 ? conditions[0]! : { and: conditions };
}
