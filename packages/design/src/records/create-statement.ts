/**
 * A create as ONE statement: the numbering counters, the row, its audit entry, its outbox event and the
 * dispatcher's wake-up, folded into a single `WITH ... INSERT` (decision 0050). Run in autocommit it
 * needs no BEGIN/COMMIT, and the counter rows are locked only for the statement and its commit, so
 * creates no longer queue behind client round trips. Gap-free numbering holds: a failed statement
 * rolls its counter increment back with everything else.
 *
 * Only entities whose stored values read back exactly as the API gives them are eligible: no lines,
 * no many-to-many links, no encrypted fields, no `time` or `attachment` columns; and only for roles
 * without a row condition (which needs a check after the insert). Others take the general path.
 */
import { Decimal, newId, validationError } from '@tenon/core';
import { OUTBOX_CHANNEL, type RawBuilder, sql } from '@tenon/db';
import { type CompiledEntity, DEFAULT_TIME_ZONE } from '../registry.ts';
import { formatSequence, type ParsedPattern, sequencePeriodKey } from '../sequence-pattern.ts';
import type { FieldDef } from '../types.ts';
import type { AccessDecision } from './access.ts';
import { actorStamp, type RecordContext } from './context.ts';
import { NO_CAUSE } from './events.ts';
import { columnValueIn, columnValueOut, type RecordData } from './row-mapping.ts';

const ELIGIBLE_KINDS: ReadonlySet<string> = new Set([
  'string',
  'text',
  'select',
  'integer',
  'decimal',
  'money',
  'quantity',
  'boolean',
  'date',
  'datetime',
  'link',
  'json',
  'sequence',
  'formula',
]);

const eligibleEntities = new WeakMap<CompiledEntity, boolean>();

/** Whether a create of this entity by this decision can be one statement. */
export function singleStatementCreate(entity: CompiledEntity, decision: AccessDecision): boolean {
  if (decision.rowFilter) return false;
  let ok = eligibleEntities.get(entity);
  if (ok === undefined) {
    ok =
      entity.childFields.length === 0 &&
      entity.multiLinkFields.length === 0 &&
      entity.columnFields.every((f) => !f.encrypted && ELIGIBLE_KINDS.has(f.kind));
    eligibleEntities.set(entity, ok);
  }
  return ok;
}

/** The numeric column scale of a field, as the table stores it. */
function scaleOf(field: FieldDef): number {
  if (field.kind === 'money') return 4;
  if (field.kind === 'quantity') return 6;
  if (field.kind === 'formula') return 10;
  return field.scale ?? 6;
}

/** What a stored value reads back as (the same text `rowToRecord` gives after the round trip). */
function storedValue(entity: CompiledEntity, field: FieldDef, value: unknown, record: RecordData): unknown {
  if (value === undefined || value === null) return null;
  switch (field.kind) {
    case 'decimal':
      return new Decimal(String(value)).toFixed(scaleOf(field), Decimal.ROUND_HALF_UP);
    case 'money':
    case 'quantity': {
      const stored = new Decimal(String(value)).toFixed(scaleOf(field), Decimal.ROUND_HALF_UP);
      return columnValueOut(field, stored, record, entity);
    }
    case 'formula':
      if (field.resultKind === 'decimal') {
        const stored = new Decimal(String(value)).toFixed(scaleOf(field), Decimal.ROUND_HALF_UP);
        return columnValueOut(field, stored, record, entity);
      }
      return columnValueOut(field, value, record, entity);
    case 'integer':
      return Number(value);
    case 'datetime':
      return new Date(String(value)).toISOString();
    case 'link':
      return String(value).toLowerCase();
    default:
      return value;
  }
}

/** The number of one sequence field in SQL: text around the counter is rendered here, the counter there. */
function numberSql(
  pattern: ParsedPattern,
  counter: string,
  input: { at: Date; timeZone: string; values: RecordData },
  /** How many numbers of the same statement come after this one (its counter moved past them). */
  later: number,
): RawBuilder<unknown> {
  const at = pattern.tokens.findIndex((t) => t.kind === 'seq');
  const seq = pattern.tokens[at] as { kind: 'seq'; width: number };
  const part = (tokens: ParsedPattern['tokens']) =>
    formatSequence({ tokens, fieldRefs: [], impliedReset: 'never' }, { ...input, seq: 1 });
  const value = sql`(SELECT value - ${later}::bigint FROM ${sql.id(counter)})::text`;
  // lpad truncates a longer value: pad only up to the value's own length.
  return sql`(${part(pattern.tokens.slice(0, at))}::text || lpad(${value}, greatest(${seq.width}::int, length(${value})), '0') || ${part(pattern.tokens.slice(at + 1))}::text)`;
}

const iso = (column: string) =>
  sql`to_char(${sql.ref(`r.${column}`)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** One record of a create statement, with the context it is created in. */
export type CreateEntry = { ctx: RecordContext; record: RecordData };

/**
 * The numbering counters a create takes its numbers from (series and period per sequence field):
 * records whose keys are equal can share one statement. Throws a validation error when a number
 * cannot be formed from the record.
 */
export function counterKeys(entity: CompiledEntity, e: CreateEntry): string[] {
  const timeZone = entity.tenant.settings.timeZone ?? DEFAULT_TIME_ZONE;
  return entity.sequences.map(({ field, pattern }) => {
    try {
      return sequencePeriodKey(pattern, {
        at: e.ctx.clock.now(),
        timeZone,
        values: e.record,
        ...(field.sequence?.reset ? { reset: field.sequence.reset } : {}),
      });
    } catch (err) {
      throw validationError([{ field: field.name, code: 'sequence', message: (err as Error).message }]);
    }
  });
}

/**
 * The statement creating records of one entity (defaults and formulas already applied), all with the
 * same counter keys (`counterKeys`): each counter moves by the number of records, which take its
 * values in order. Returns the stored rows. Throws a validation error when a number cannot be formed.
 */
export function createStatement(entity: CompiledEntity, entries: CreateEntry[]): RawBuilder<unknown> {
  const schema = entity.tenant.schemaName;
  const timeZone = entity.tenant.settings.timeZone ?? DEFAULT_TIME_ZONE;
  const periods = counterKeys(entity, entries[0]!);
  const ctes: RawBuilder<unknown>[] = entity.sequences.map(
    (
      { field },
      i,
    ) => sql`${sql.id(`n${i}`)} AS (INSERT INTO ${sql.id(schema, '_sequence')} AS s (series, period, value)
      VALUES (${`${entity.def.name}.${field.name}`}, ${periods[i]!}, ${entries.length}::bigint)
      ON CONFLICT (series, period) DO UPDATE SET value = s.value + ${entries.length}::bigint RETURNING value)`,
  );

  // The columns any of the records fills; a record without one takes the column's default.
  const filled = entity.columnFields.filter(
    (f) =>
      entity.sequences.some((q) => q.field.name === f.name) ||
      entries.some((e) => e.record[f.name] !== undefined),
  );
  const afters: string[] = [];
  const rows = entries.map(({ ctx, record }, n) => {
    const id = (record.id as string | undefined) ?? newId();
    record.id = id;
    const user = actorStamp(ctx.actor);
    const input = { at: ctx.clock.now(), timeZone, values: record };
    // What the row reads back as, except what the database fills in (taken from the row itself).
    const after: RecordData = { id, version: 1, created_by: user, updated_by: user };
    const values: RawBuilder<unknown>[] = [sql`${id}::uuid`, sql`${user}`, sql`${user}`];
    for (const f of entity.columnFields) {
      const sequence = entity.sequences.findIndex((q) => q.field.name === f.name);
      if (sequence >= 0) {
        values.push(
          numberSql(entity.sequences[sequence]!.pattern, `n${sequence}`, input, entries.length - 1 - n),
        );
        continue;
      }
      const value = record[f.name];
      after[f.name] = storedValue(entity, f, value, record);
      if (filled.includes(f))
        values.push(value === undefined ? sql`DEFAULT` : sql`${columnValueIn(f, value)}`);
    }
    afters.push(JSON.stringify(after));
    return sql`(${sql.join(values)})`;
  });
  const columns = [
    sql.id('id'),
    sql.id('created_by'),
    sql.id('updated_by'),
    ...filled.map((f) => sql.id(f.name)),
  ];
  const fromRow: RawBuilder<unknown>[] = [
    sql`'created_at', ${iso('created_at')}`,
    sql`'updated_at', ${iso('updated_at')}`,
    ...entity.sequences.map(({ field }) => sql`${field.name}::text, ${sql.ref(`r.${field.name}`)}`),
  ];
  ctes.push(sql`r AS (INSERT INTO ${sql.id(schema, entity.def.name)} (${sql.join(columns)})
    VALUES ${sql.join(rows)} RETURNING *)`);

  // Per record: its id, what it reads back as, its audit entry's id and its creator's context.
  const each = <T>(f: (e: CreateEntry, n: number) => T) => entries.map(f);
  const trace = (e: CreateEntry) => e.ctx.actor.traceId ?? null;
  ctes.push(sql`x AS (SELECT * FROM unnest(${each((e) => e.record.id as string)}::uuid[], ${afters}::jsonb[],
      ${each(() => newId())}::uuid[], ${each((e) => e.ctx.actor.userId)}::text[], ${each((e) => e.ctx.actor.username)}::text[],
      ${each((e) => e.ctx.actor.ip ?? null)}::text[], ${each((e) => e.ctx.actor.userAgent ?? null)}::text[],
      ${each(trace)}::text[],
      ${each((e) => JSON.stringify({ userId: e.ctx.actor.userId, username: e.ctx.actor.username }))}::jsonb[],
      ${each((e) => JSON.stringify(e.ctx.cause ?? NO_CAUSE))}::jsonb[])
      WITH ORDINALITY AS x(id, after, audit_id, user_id, username, ip, user_agent, trace_id, actor, cause, n))`);
  ctes.push(
    sql`j AS (SELECT x.*, x.after || jsonb_build_object(${sql.join(fromRow)}) AS stored FROM r JOIN x ON x.id = r.id)`,
  );
  ctes.push(sql`a AS (INSERT INTO ${sql.id(schema, '_audit')}
    (id, user_id, username, action, entity, record_id, changes, ip, user_agent, trace_id)
    SELECT j.audit_id, j.user_id, j.username, 'create', ${entity.def.name}, j.id,
      jsonb_build_object('after', j.stored), j.ip, j.user_agent, j.trace_id FROM j ORDER BY j.n)`);
  ctes.push(sql`o AS (INSERT INTO ${sql.id(schema, '_outbox')} (topic, entity, record_id, payload, actor, cause, trace_id)
    SELECT 'record.created', ${entity.def.name}, j.id, jsonb_build_object('after', j.stored),
      j.actor, j.cause, j.trace_id FROM j ORDER BY j.n)`);
  return sql`WITH ${sql.join(ctes)} SELECT r.*, pg_notify(${OUTBOX_CHANNEL}, ${schema}) AS "__notify" FROM r`;
}
