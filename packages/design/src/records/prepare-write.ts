/**
 * What happens to a record before it is stored: defaults, formulas (CEL over the record) and
 * numbering series allocated gap-free inside the transaction.
 */
import { type Clock, dateFormatIn, type FieldError, validationError } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import { fromCelValue } from '../expressions/cel.ts';
import { type CompiledEntity, DEFAULT_TIME_ZONE } from '../registry.ts';
import { formatSequence, sequencePeriodKey } from '../sequence-pattern.ts';
import type { FieldDef } from '../types.ts';
import { type Actor, actorStamp } from './context.ts';
import type { RecordData } from './row-mapping.ts';

export type WriteContext = { actor: Actor; clock: Clock };

/** Fills defaults of fields the client left out. `$now` and `$today` are evaluated at write time. */
export function applyDefaults(entity: CompiledEntity, record: RecordData, ctx: WriteContext): void {
  for (const field of entity.def.fields) {
    if (record[field.name] !== undefined || field.default === undefined) continue;
    record[field.name] = defaultValue(field, entity, ctx);
  }
}

function defaultValue(field: FieldDef, entity: CompiledEntity, ctx: WriteContext): unknown {
  if (field.default === '$now') return ctx.clock.now().toISOString();
  if (field.default === '$today') {
    const tz = entity.tenant.settings.timeZone ?? DEFAULT_TIME_ZONE;
    return dateFormatIn(tz).format(ctx.clock.now());
  }
  if (field.default === '$user') return actorStamp(ctx.actor);
  return structuredClone(field.default);
}

function formulaResult(field: FieldDef, value: unknown): unknown {
  const out = fromCelValue(value);
  if (out === null || out === undefined) return null;
  switch (field.resultKind ?? 'string') {
    case 'integer':
      return typeof out === 'number' && Number.isInteger(out) ? out : Number.NaN;
    case 'boolean':
      return typeof out === 'boolean' ? out : Number.NaN;
    case 'decimal':
      return typeof out === 'number' ? String(out) : out;
    default:
      return typeof out === 'string' ? out : JSON.stringify(out);
  }
}

/** Computes every formula over the (merged) record, in declaration order. */
export function computeFormulas(entity: CompiledEntity, record: RecordData): void {
  if (entity.formulas.length === 0) return;
  const errors: FieldError[] = [];
  for (const { field, expr } of entity.formulas) {
    // Raw record values: the compiled expression converts them to its declared CEL types.
    const vars: Record<string, unknown> = {};
    for (const f of entity.columnFields) {
      if (f === field) break;
      vars[f.name] = record[f.name] ?? null;
    }
    try {
      const value = formulaResult(field, expr.evaluate(vars));
      if (typeof value === 'number' && Number.isNaN(value)) {
        errors.push({
          field: field.name,
          code: 'formula_type',
          message: `the formula did not produce a ${field.resultKind}`,
        });
      } else record[field.name] = value;
    } catch (err) {
      // A formula over empty fields is empty; anything else is the user's data to fix.
      const hasNull = Object.values(vars).some((v) => v === null);
      if (hasNull) record[field.name] = null;
      else errors.push({ field: field.name, code: 'formula_failed', message: (err as Error).message });
    }
  }
  if (errors.length > 0) throw validationError(errors);
}

/** Allocates the next number of each sequence field (the counter row stays locked until commit). */
export async function allocateSequences(
  tx: Executor,
  entity: CompiledEntity,
  record: RecordData,
  ctx: WriteContext,
): Promise<void> {
  const timeZone = entity.tenant.settings.timeZone ?? DEFAULT_TIME_ZONE;
  const at = ctx.clock.now();
  for (const { field, pattern } of entity.sequences) {
    const input = {
      at,
      timeZone,
      values: record,
      ...(field.sequence?.reset ? { reset: field.sequence.reset } : {}),
    };
    let period: string;
    try {
      period = sequencePeriodKey(pattern, input);
    } catch (err) {
      throw validationError([{ field: field.name, code: 'sequence', message: (err as Error).message }]);
    }
    const { rows } = await tx.run<{ value: string }>(sql`
      INSERT INTO ${sql.id(entity.tenant.schemaName, '_sequence')} AS s (series, period, value)
      VALUES (${`${entity.def.name}.${field.name}`}, ${period}, 1)
      ON CONFLICT (series, period) DO UPDATE SET value = s.value + 1
      RETURNING value`);
    record[field.name] = formatSequence(pattern, {
      at,
      timeZone,
      values: record,
      seq: BigInt(rows[0]!.value),
    });
  }
}
