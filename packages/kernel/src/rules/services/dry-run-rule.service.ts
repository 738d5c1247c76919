/**
 * Dry run: a rule (stored, by name, or a definition not yet saved) against a sample event. Evaluates
 * the condition and every instruction's expressions and reports what would happen; executes nothing,
 * opens no transaction, writes nothing (decision 0046).
 */
import { AppError, type Clock, type Locale } from '@tenon/core';
import type { Executor } from '@tenon/db';
import { loadObjects, type TenantMetamodel } from '@tenon/design';
import type { TenantKernelDefinitions } from '../../definitions/kernel-definitions.ts';
import { matchesEvent } from '../domain/match-rule.ts';
import { type PlannedStep, planInstruction } from '../domain/plan-instructions.ts';
import { RuleErrors } from '../errors.ts';
import { ruleKind } from '../rule.kind.ts';
import type { RuleDef } from '../rule.types.ts';
import { eventJson, redactRecord, typedValues } from '../rule-data.ts';
import { assertRuleData, compileRuleExpr, evaluateRuleExpr, type RuleVars } from '../rule-expressions.ts';
import { findRule } from '../rule-index.ts';

export type DryRunInput = { rule: unknown; event: unknown };

export type DryRunResult = {
  rule: string;
  enabled: boolean;
  matched: boolean;
  condition: boolean | 'error';
  conditionError?: string;
  instructions: (PlannedStep | { do: string; error: string })[];
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (field: string, message: string) =>
  new AppError(RuleErrors.KERNEL_RULE_DRY_RUN_INVALID, {}, [{ field, code: 'invalid', message }]);

async function resolveRule(
  db: Executor,
  input: unknown,
  ctx: { metamodel: TenantMetamodel; defs: TenantKernelDefinitions; locale: Locale },
): Promise<RuleDef> {
  if (typeof input === 'string') {
    const found = findRule(ctx.defs, input);
    if (!found) throw new AppError(RuleErrors.KERNEL_RULE_NOT_FOUND, { name: input });
    return found.def;
  }
  if (!isObj(input)) throw invalid('rule', 'a rule name or a rule definition');
  const objects = await loadObjects(db, ctx.metamodel.tenant.schemaName);
  const checked = ruleKind.check(input, { metamodel: ctx.metamodel, objects, locale: ctx.locale });
  if ('errors' in checked) {
    throw new AppError(
      RuleErrors.KERNEL_RULE_INVALID,
      { name: String(input.name ?? '') },
      checked.errors.map((e) => ({ ...e, field: e.field ? `rule.${e.field}` : 'rule' })),
    );
  }
  return checked.value as unknown as RuleDef;
}

export async function dryRunRule(
  db: Executor,
  input: DryRunInput,
  ctx: { metamodel: TenantMetamodel; defs: TenantKernelDefinitions; locale: Locale; clock: Clock },
): Promise<DryRunResult> {
  const rule = await resolveRule(db, input.rule, ctx);
  const e = input.event;
  if (!isObj(e) || typeof e.topic !== 'string') throw invalid('event.topic', 'an event with a topic');
  for (const key of ['record', 'before', 'payload', 'process'] as const) {
    if (e[key] !== undefined && e[key] !== null && !isObj(e[key]))
      throw invalid(`event.${key}`, 'must be an object');
  }
  if (
    e.changed !== undefined &&
    !(Array.isArray(e.changed) && e.changed.every((c) => typeof c === 'string'))
  ) {
    throw invalid('event.changed', 'a list of field names');
  }
  const topic = e.topic === 'field.changed' ? 'record.updated' : e.topic;
  const entity = typeof e.entity === 'string' ? e.entity : null;
  const record = redactRecord(ctx.metamodel, entity, (e.record as Obj | undefined) ?? null);
  const before = redactRecord(ctx.metamodel, entity, (e.before as Obj | undefined) ?? null);
  const changed =
    (e.changed as string[] | undefined) ??
    (before && record
      ? Object.keys(record).filter((k) => JSON.stringify(record[k]) !== JSON.stringify(before[k]))
      : []);
  const payload: Obj = {
    ...((e.payload as Obj | undefined) ?? {}),
    ...(record ? { after: record } : {}),
    ...(before ? { before } : {}),
    changed,
    ...(typeof e.action === 'string' ? { action: e.action } : {}),
  };
  const recordId =
    typeof record?.id === 'string' ? record.id : typeof e.recordId === 'string' ? e.recordId : null;
  const event = { topic, entity, recordId, payload, actor: { userId: null, username: 'dry-run' } };
  const json = eventJson(event);
  json.before = typedValues(ctx.metamodel, entity, json.before);
  json.after = typedValues(ctx.metamodel, entity, json.after);
  const vars: RuleVars = {
    event: json,
    record: typedValues(ctx.metamodel, entity, record),
    process: (e.process as Obj | undefined) ?? (topic === 'process.state_changed' ? payload : null),
    now: ctx.clock.now().toISOString(),
  };
  const result: DryRunResult = {
    rule: rule.name,
    enabled: rule.enabled !== false,
    matched: matchesEvent(rule.event, event),
    condition: true,
    instructions: [],
  };
  try {
    assertRuleData(vars.record, 'record');
    assertRuleData(vars.event, 'event');
    if (rule.condition !== undefined) {
      const value = evaluateRuleExpr(compileRuleExpr(rule.condition), vars);
      if (typeof value !== 'boolean')
        throw new Error(`the condition gave ${JSON.stringify(value)}, not a boolean`);
      result.condition = value;
    }
  } catch (error) {
    result.condition = 'error';
    result.conditionError = error instanceof Error ? error.message : String(error);
  }
  const target = {
    entity: entity ?? (typeof payload.entity === 'string' ? payload.entity : null),
    recordId: recordId ?? (typeof payload.recordId === 'string' ? payload.recordId : null),
  };
  const pid = typeof payload.pid === 'string' ? payload.pid : null;
  for (const ins of rule.instructions) {
    try {
      result.instructions.push(planInstruction(ins, { rule: rule.name, vars, target, pid }));
    } catch (error) {
      result.instructions.push({ do: ins.do, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}
