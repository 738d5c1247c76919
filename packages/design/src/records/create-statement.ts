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
): RawBuilder<unknown> {
  const at = pattern.tokens.findIndex((t) => t.kind === 'seq');
  const seq = pattern.tokens[at] as { kind: 'seq'; width: number };
  const part = (tokens: ParsedPattern['tokens']) =>
    formatSequence({ tokens, fieldRefs: [], impliedReset: 'never' }, { ...input, seq: 1 });
  const value = sql`(SELECT value FROM ${sql.id(counter)})::text`;
  // lpad truncates a longer value: pad only up to the value's own length.
  return sql`(${part(pattern.tokens.slice(0, at))}::text || lpad(${value}, greatest(${seq.width}::int, length(${value})), '0') || ${part(pattern.tokens.slice(at + 1))}::text)`;
}

const iso = (column: string) =>
  sql`to_char(${sql.ref(`r.${column}`)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The statement creating `record` (defaults and formulas already applied): returns the stored row.
 * Throws a validation error when a number cannot be formed from the record.
 */
export function createStatement(
  ctx: RecordContext,
  entity: CompiledEntity,
  record: RecordData,
): RawBuilder<unknown> {
  const schema = entity.tenant.schemaName;
  const timeZone = entity.tenant.settings.timeZone ?? DEFAULT_TIME_ZONE;
  const at = ctx.clock.now();
  const id = (record.id as string | undefined) ?? newId();
  record.id = id;
  const user = actorStamp(ctx.actor);

  const ctes: RawBuilder<unknown>[] = [];
  const numbers = new Map<string, RawBuilder<unknown>>();
  for (const [i, { field, pattern }] of entity.sequences.entries()) {
    const input = { at, timeZone, values: record };
    let period: string;
    try {
      period = sequencePeriodKey(pattern, {
        ...input,
        ...(field.sequence?.reset ? { reset: field.sequence.reset } : {}),
      });
      numbers.set(field.name, numberSql(pattern, `n${i}`, input));
    } catch (err) {
      throw validationError([{ field: field.name, code: 'sequence', message: (err as Error).message }]);
    }
    ctes.push(sql`${sql.id(`n${i}`)} AS (INSERT INTO ${sql.id(schema, '_sequence')} AS s (series, period, value)
      VALUES (${`${entity.def.name}.${field.name}`}, ${period}, 1)
      ON CONFLICT (series, period) DO UPDATE SET value = s.value + 1 RETURNING value)`);
  }

  const columns: RawBuilder<unknown>[] = [sql.id('id'), sql.id('created_by'), sql.id('updated_by')];
  const values: RawBuilder<unknown>[] = [sql`${id}`, sql`${user}`, sql`${user}`];
  // What the row reads back as, except what the database fills in (taken from the row itself).
  const after: RecordData = { id, version: 1, created_by: user, updated_by: user };
  const fromRow: RawBuilder<unknown>[] = [
    sql`'created_at', ${iso('created_at')}`,
    sql`'updated_at', ${iso('updated_at')}`,
  ];
  for (const f of entity.columnFields) {
    const number = numbers.get(f.name);
    if (number) {
      columns.push(sql.id(f.name));
      values.push(number);
      fromRow.push(sql`${f.name}::text, ${sql.ref(`r.${f.name}`)}`);
      continue;
    }
    const value = record[f.name];
    after[f.name] = storedValue(entity, f, value, record);
    if (value === undefined) continue;
    columns.push(sql.id(f.name));
    values.push(sql`${columnValueIn(f, value)}`);
  }
  ctes.push(sql`r AS (INSERT INTO ${sql.id(schema, entity.def.name)} (${sql.join(columns)})
    VALUES (${sql.join(values)}) RETURNING *)`);
  ctes.push(
    sql`j AS (SELECT ${JSON.stringify(after)}::jsonb || jsonb_build_object(${sql.join(fromRow)}) AS after FROM r)`,
  );

  const { actor } = ctx;
  const trace = actor.traceId ?? null;
  ctes.push(sql`a AS (INSERT INTO ${sql.id(schema, '_audit')}
    (id, user_id, username, action, entity, record_id, changes, ip, user_agent, trace_id)
    SELECT ${newId()}, ${actor.userId}, ${actor.username}, 'create', ${entity.def.name}, ${id},
      jsonb_build_object('after', j.after), ${actor.ip ?? null}, ${actor.userAgent ?? null}, ${trace} FROM j)`);
  const actorJson = JSON.stringify({ userId: actor.userId, username: actor.username });
  ctes.push(sql`o AS (INSERT INTO ${sql.id(schema, '_outbox')} (topic, entity, record_id, payload, actor, cause, trace_id)
    SELECT 'record.created', ${entity.def.name}, ${id}, jsonb_build_object('after', j.after),
      ${actorJson}::jsonb, ${JSON.stringify(ctx.cause ?? NO_CAUSE)}::jsonb, ${trace} FROM j)`);
  return sql`WITH ${sql.join(ctes)} SELECT r.*, pg_notify(${OUTBOX_CHANNEL}, ${schema}) AS "__notify" FROM r`;
}
