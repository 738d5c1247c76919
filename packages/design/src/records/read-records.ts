/** Reading records: one record by id, and list pages with filters, sort, paging and expansion. */
import { AppError, isUuid, type Page } from '@tenon/core';
import { compile, type Executor, type RawBuilder, sql } from '@tenon/db';
import { joinTableName } from '../ddl/physical.ts';
import type { CompiledEntity, TenantMetamodel } from '../registry.ts';
import { type AccessDecision, type AccessPolicy, requireAccess, SYSTEM_ACCESS } from './access.ts';
import { visibleRecord } from './enforce.ts';
import { type FilterNode, fieldOrSystem, filterSql, filterValue, parseFilterParams } from './filters.ts';
import { RecordErrors } from './record-errors.ts';
import { type RecordData, rowToRecord, SYSTEM_FIELDS } from './row-mapping.ts';

export type SortKey = { field: string; desc: boolean };

export type ListQuery = {
  filter: FilterNode | null;
  sort: SortKey[];
  fields: string[] | null;
  expand: string[];
  page: number;
  pageSize: number;
  /** Keyset paging: null = offset paging with `page`. */
  cursor: string | null;
  withTotal: boolean;
};

export const MAX_PAGE_SIZE = 500;
const bad = (reason: string) => new AppError(RecordErrors.QUERY_INVALID, { reason });

const positiveInt = (raw: unknown, name: string, fallback: number, max: number): number => {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw bad(`${name} must be an integer from 1 to ${max}`);
  return n;
};

const csv = (raw: unknown): string[] =>
  typeof raw === 'string' && raw !== ''
    ? raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

export function parseListQuery(entity: CompiledEntity, query: Record<string, unknown>): ListQuery {
  const sort = csv(query.sort).map((token) => {
    const desc = token.startsWith('-');
    const name = desc ? token.slice(1) : token;
    const field = fieldOrSystem(entity, name);
    if (!field || field.kind === 'children' || field.kind === 'multi_link' || field.kind === 'json') {
      throw bad(`cannot sort by ${name}`);
    }
    if (field.encrypted) throw bad(`cannot sort by ${name}: it is encrypted`);
    return { field: name, desc };
  });
  const fields = query.fields === undefined ? null : csv(query.fields);
  for (const f of fields ?? []) {
    if (!fieldOrSystem(entity, f)) throw bad(`unknown field ${f}`);
  }
  const expand = csv(query.expand);
  for (const e of expand) {
    const field = entity.fields.get(e);
    if (!field || !['link', 'children', 'multi_link', 'attachment'].includes(field.kind))
      throw bad(`cannot expand ${e}`);
  }
  return {
    filter: parseFilterParams(query),
    sort,
    fields,
    expand,
    page: positiveInt(query.page, 'page', 1, 1_000_000),
    pageSize: positiveInt(query.pageSize, 'pageSize', 20, MAX_PAGE_SIZE),
    cursor: typeof query.cursor === 'string' ? query.cursor : null,
    withTotal: query.total === 'true' || query.withTotal === 'true',
  };
}

function selectList(
  entity: CompiledEntity,
  fields: string[] | null,
  extra: string[] = [],
): RawBuilder<unknown> {
  const wanted = fields ? new Set([...fields, ...extra, 'id', 'version']) : null;
  // Money renders with its currency.
  for (const field of entity.columnFields) {
    if (wanted?.has(field.name) && field.currencyField) wanted.add(field.currencyField);
  }
  const cols: RawBuilder<unknown>[] = [];
  for (const name of SYSTEM_FIELDS) if (!wanted || wanted.has(name)) cols.push(sql.id('t', name));
  for (const field of entity.columnFields) {
    if (!wanted || wanted.has(field.name)) cols.push(sql.id('t', field.name));
  }
  for (const field of entity.multiLinkFields) {
    if (wanted && !wanted.has(field.name)) continue;
    const jt = sql.id(entity.tenant.schemaName, joinTableName(entity.def.name, field.name));
    cols.push(
      sql`ARRAY(SELECT j.target_id FROM ${jt} AS j WHERE j.source_id = t.id ORDER BY j.target_id) AS ${sql.id(field.name)}`,
    );
  }
  return sql.join(cols);
}

const from = (entity: CompiledEntity) => sql`${sql.id(entity.tenant.schemaName, entity.def.name)} AS t`;

// ---- keyset paging -------------------------------------------------------------------------

type CursorPayload = { s: string; v: unknown[] };

const sortSignature = (sort: SortKey[]) => sort.map((k) => `${k.desc ? '-' : ''}${k.field}`).join(',');

function encodeCursor(sort: SortKey[], row: RecordData): string {
  const payload: CursorPayload = {
    s: sortSignature(sort),
    v: [...sort.map((k) => row[k.field] ?? null), row.id],
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function keysetSql(entity: CompiledEntity, sort: SortKey[], cursor: string): RawBuilder<unknown> {
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw new AppError(RecordErrors.CURSOR_INVALID);
  }
  if (
    !payload ||
    payload.s !== sortSignature(sort) ||
    !Array.isArray(payload.v) ||
    payload.v.length !== sort.length + 1
  ) {
    throw new AppError(RecordErrors.CURSOR_INVALID);
  }
  const lastId = payload.v[sort.length];
  if (!isUuid(lastId)) throw new AppError(RecordErrors.CURSOR_INVALID);
  const keys = [...sort, { field: 'id', desc: false }];
  const values = keys.map((k, i) => {
    const v = payload.v[i];
    if (v === null) return null;
    try {
      return filterValue(fieldOrSystem(entity, k.field)!, v);
    } catch {
      throw new AppError(RecordErrors.CURSOR_INVALID);
    }
  });
  // NULLs sort last ascending and first descending (PostgreSQL's defaults): a NULL is the largest value.
  const tie = (i: number) => {
    const col = sql.id('t', keys[i]!.field);
    return values[i] === null ? sql`${col} IS NULL` : sql`${col} = ${values[i]}`;
  };
  const after = (i: number): RawBuilder<unknown> => {
    const col = sql.id('t', keys[i]!.field);
    const v = values[i];
    if (!keys[i]!.desc) return v === null ? sql`FALSE` : sql`(${col} > ${v} OR ${col} IS NULL)`;
    return v === null ? sql`${col} IS NOT NULL` : sql`${col} < ${v}`;
  };
  const branches = keys.map((_, i) => {
    const parts = [...keys.slice(0, i).map((__, j) => tie(j)), after(i)];
    return sql`(${sql.join(parts, sql` AND `)})`;
  });
  return sql`(${sql.join(branches, sql` OR `)})`;
}

function orderBy(sort: SortKey[]): RawBuilder<unknown> {
  const keys = [...sort, { field: 'id', desc: false }].map(
    (k) => sql`${sql.id('t', k.field)} ${sql.raw(k.desc ? 'DESC' : 'ASC')}`,
  );
  return sql.join(keys);
}

// ---- reading -------------------------------------------------------------------------------

/** 400 for fields the user may not see, exactly as for fields that do not exist. */
function checkVisible(decision: AccessDecision, q: Pick<ListQuery, 'fields' | 'sort' | 'expand'>): void {
  const hidden = decision.hiddenFields;
  // The same reasons as `parseListQuery` gives for names that do not exist.
  for (const name of q.fields ?? []) if (hidden.has(name)) throw bad(`unknown field ${name}`);
  for (const { field } of q.sort) if (hidden.has(field)) throw bad(`cannot sort by ${field}`);
  for (const name of q.expand) if (hidden.has(name)) throw bad(`cannot expand ${name}`);
}

export async function listRecords(
  db: Executor,
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  q: ListQuery,
  access: AccessPolicy = SYSTEM_ACCESS,
): Promise<Page<RecordData>> {
  const decision = requireAccess(access, entity.def.name, 'read');
  checkVisible(decision, q);
  const filter = filterSql(metamodel, entity, 't', q.filter, access);
  const where = decision.rowFilter
    ? sql`${filter} AND ${filterSql(metamodel, entity, 't', decision.rowFilter)}`
    : filter;
  const keyset = q.cursor ? keysetSql(entity, q.sort, q.cursor) : sql`TRUE`;
  const offset = q.cursor ? 0 : (q.page - 1) * q.pageSize;
  const { rows } = await db.run<RecordData>(sql`
    SELECT ${selectList(
      entity,
      q.fields,
      q.sort.map((k) => k.field),
    )} FROM ${from(entity)}
    WHERE ${where} AND ${keyset}
    ORDER BY ${orderBy(q.sort)}
    LIMIT ${q.pageSize} OFFSET ${offset}`);
  let total: number | null = null;
  if (q.withTotal) {
    const counted = await db.run<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ${from(entity)} WHERE ${where}`,
    );
    total = counted.rows[0]?.n ?? 0;
  }
  const items = rows.map((r) => rowToRecord(entity, r));
  await expandRecords(db, metamodel, entity, items, q.expand, access);
  for (const [i, item] of items.entries()) items[i] = visibleRecord(access, metamodel, entity, item);
  const last = rows[rows.length - 1];
  return {
    items,
    total,
    page: q.cursor ? null : q.page,
    pageSize: q.pageSize,
    nextCursor: last && rows.length === q.pageSize ? encodeCursor(q.sort, last) : null,
  };
}

export type GetOptions = {
  fields?: string[] | null;
  expand?: string[];
  forUpdate?: boolean;
  /** Only a row matching this filter is found (a role's row condition). */
  rowFilter?: FilterNode | null;
  /** When given: read permission required, hidden fields left out, expansions checked. */
  access?: AccessPolicy;
};

export async function getRecord(
  db: Executor,
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  id: string,
  options: GetOptions = {},
): Promise<RecordData | null> {
  const decision = options.access ? requireAccess(options.access, entity.def.name, 'read') : null;
  if (decision)
    checkVisible(decision, { fields: options.fields ?? null, sort: [], expand: options.expand ?? [] });
  if (!isUuid(id)) return null;
  const rowFilter = options.rowFilter ?? decision?.rowFilter ?? null;
  if (!rowFilter && !options.fields && !options.forUpdate && !('inTransaction' in db)) {
    return readWhole(db, metamodel, entity, id, options);
  }
  const visible = rowFilter ? sql` AND ${filterSql(metamodel, entity, 't', rowFilter)}` : sql``;
  const lock = options.forUpdate ? sql` FOR UPDATE OF t` : sql``;
  const { rows } = await db.run<RecordData>(
    sql`SELECT ${selectList(entity, options.fields ?? null)} FROM ${from(entity)} WHERE t.id = ${id}${visible}${lock}`,
  );
  if (!rows[0]) return null;
  const record = rowToRecord(entity, rows[0]);
  const expand = new Set(options.expand ?? []);
  for (const child of entity.childFields)
    if (!options.fields || options.fields.includes(child.name)) expand.add(child.name);
  await expandRecords(db, metamodel, entity, [record], [...expand], options.access);
  return options.access ? visibleRecord(options.access, metamodel, entity, record) : record;
}

/** The SQL of reading a whole record by id, compiled once per compiled entity (decision 0052). */
const byIdStatements = new WeakMap<CompiledEntity, { name: string; text: string }>();
let statementNames = 0;

function byIdStatement(entity: CompiledEntity): { name: string; text: string } {
  let statement = byIdStatements.get(entity);
  if (!statement) {
    const { text } = compile(sql`SELECT ${selectList(entity, null)} FROM ${from(entity)} WHERE t.id = ${''}`);
    statement = { name: `tenon_by_id_${++statementNames}`, text };
    byIdStatements.set(entity, statement);
  }
  return statement;
}

/** `getRecord` of a whole record outside a transaction: a named prepared statement. */
async function readWhole(
  db: Executor,
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  id: string,
  options: GetOptions,
): Promise<RecordData | null> {
  const { name, text } = byIdStatement(entity);
  const { rows } = await db.query<RecordData>(text, [id], { name });
  if (!rows[0]) return null;
  const record = rowToRecord(entity, rows[0]);
  const expand = new Set(options.expand ?? []);
  for (const child of entity.childFields) expand.add(child.name);
  await expandRecords(db, metamodel, entity, [record], [...expand], options.access);
  return options.access ? visibleRecord(options.access, metamodel, entity, record) : record;
}

/** Replaces link ids by the linked records and loads child lines, one query per expanded field. */
export async function expandRecords(
  db: Executor,
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  records: RecordData[],
  expand: string[],
  access: AccessPolicy = SYSTEM_ACCESS,
): Promise<void> {
  if (records.length === 0) return;
  for (const name of expand) {
    const field = entity.fields.get(name)!;
    if (field.kind === 'children') {
      const child = metamodel.get(field.target!);
      const ids = records.map((r) => r.id as string);
      const { rows } = await db.run<RecordData>(sql`
        SELECT ${selectList(child, null)}, t.parent_id, t.line_no FROM ${from(child)}
        WHERE t.parent_id IN (${sql.join(ids)}) AND t.parent_field = ${name}
        ORDER BY t.parent_id, t.line_no`);
      const byParent = new Map<string, RecordData[]>();
      for (const row of rows) {
        const list = byParent.get(row.parent_id as string) ?? [];
        list.push(visibleRecord(access, metamodel, child, rowToRecord(child, row)));
        byParent.set(row.parent_id as string, list);
      }
      for (const r of records) r[name] = byParent.get(r.id as string) ?? [];
      continue;
    }
    if (field.kind === 'attachment') {
      const ids = [...new Set(records.map((r) => r[name]).filter(isUuid))];
      if (ids.length === 0) continue;
      const { rows } = await db.run<RecordData>(sql`
        SELECT id, name, content_type AS "contentType", size::int AS size, sha256
        FROM ${sql.id(entity.tenant.schemaName, '_file')} WHERE id IN (${sql.join(ids)})`);
      const byId = new Map(rows.map((r) => [r.id as string, r]));
      for (const r of records) if (isUuid(r[name])) r[name] = byId.get(r[name] as string) ?? r[name];
      continue;
    }
    const target = metamodel.get(field.target!);
    // Linked records the user may not read stay ids; rows outside their row condition too.
    const targetAccess = access.decide(target.def.name, 'read');
    if (!targetAccess.allowed) continue;
    const idsOf = (r: RecordData): string[] =>
      field.kind === 'multi_link'
        ? ((r[name] as string[] | undefined) ?? [])
        : isUuid(r[name])
          ? [r[name] as string]
          : [];
    const ids = [...new Set(records.flatMap(idsOf))];
    if (ids.length === 0) continue;
    const { rows } = await db.run<RecordData>(
      sql`SELECT ${selectList(target, null)} FROM ${from(target)} WHERE t.id IN (${sql.join(ids)})
          AND ${filterSql(metamodel, target, 't', targetAccess.rowFilter)}`,
    );
    const byId = new Map(
      rows.map((row) => [
        row.id as string,
        visibleRecord(access, metamodel, target, rowToRecord(target, row)),
      ]),
    );
    for (const r of records) {
      if (field.kind === 'multi_link') r[name] = idsOf(r).map((id) => byId.get(id) ?? id);
      else if (isUuid(r[name])) r[name] = byId.get(r[name] as string) ?? r[name];
    }
  }
}
