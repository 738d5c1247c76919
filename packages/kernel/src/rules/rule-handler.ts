/**
 * The rules' EventHandler: for each delivered event, the enabled rules that match it evaluate their
 * condition and run their instructions inside the delivery transaction, each rule behind a savepoint
 * (a failing rule is rolled back and logged; the others and the delivery go on). Cascades are bounded:
 * past depth 8, or when the rule already caused this event, the rule is not run, and that is logged.
 */
import type { Clock } from '@tenon/core';
import { type Database, sql, type Tx } from '@tenon/db';
import type { ActionRegistry, EventCause, MetamodelCache, TenantMetamodel } from '@tenon/design';
import type { KernelDefinitions, TenantKernelDefinitions } from '../definitions/kernel-definitions.ts';
import type { EventHandler, KernelEvent } from '../events/types.ts';
import { planInstruction } from './domain/plan-instructions.ts';
import { executeStep, isRuleError, ruleErrorText, type StepContext } from './execute-step.ts';
import type { Instruction, RuleTimerPayload } from './rule.types.ts';
import { boundRecordOf, ruleVarsOf } from './rule-data.ts';
import { assertRuleData, evaluateRuleExpr, type RuleVars } from './rule-expressions.ts';
import { type CompiledRule, findRule, rulesFor } from './rule-index.ts';
import { appendRuleRuns, type RuleOutcome, type RuleRun } from './rule-run.repository.ts';
import { tenantContext, tenantLookup } from './tenant-context.ts';

export const MAX_RULE_DEPTH = 8;

export type RuleHandlerDeps = {
  db: Database;
  metamodels: MetamodelCache;
  definitions: KernelDefinitions;
  actions: ActionRegistry;
  clock: Clock;
};

type Loaded = { metamodel: TenantMetamodel; defs: TenantKernelDefinitions };

export function createRuleHandler(deps: RuleHandlerDeps): EventHandler {
  const findTenant = tenantLookup();
  const load = async (tx: Tx, event: KernelEvent): Promise<Loaded | null> =>
    tenantContext(tx, deps, await findTenant(tx, event.tenant));

  return {
    name: 'rules',
    async handle(tx, event) {
      const timer = timerPayload(event);
      const loaded = await load(tx, event);
      if (!loaded) return;
      const now = deps.clock.now();
      const candidates: { rule: CompiledRule; instructions: Instruction[]; condition: boolean }[] = [];
      if (timer) {
        const rule = findRule(loaded.defs, timer.rule);
        if (rule) candidates.push({ rule, instructions: timer.run, condition: false });
        else await log(tx, event, timer.rule, now, 'the rule no longer exists');
      } else {
        for (const rule of rulesFor(loaded.defs, event)) {
          candidates.push({ rule, instructions: rule.def.instructions, condition: true });
        }
      }
      if (candidates.length === 0) return;
      let vars: RuleVars | Error | null = null;
      const runs: RuleRun[] = [];
      for (const { rule, instructions, condition } of candidates) {
        const depth = event.cause.depth + 1;
        const base = runBase(event, rule, depth, now);
        if (event.cause.chain.includes(rule.name)) {
          runs.push({
            ...base,
            outcome: 'loop',
            error: `loop: ${[...event.cause.chain, rule.name].join(' -> ')}`,
          });
          continue;
        }
        if (depth > MAX_RULE_DEPTH) {
          runs.push({
            ...base,
            outcome: 'depth',
            error: `cascade deeper than ${MAX_RULE_DEPTH}: ${event.cause.chain.join(' -> ')}`,
          });
          continue;
        }
        if (!timer && rule.def.enabled === false) continue;
        if (timer && rule.def.enabled === false) {
          runs.push({ ...base, outcome: 'skipped', error: 'the rule is disabled' });
          continue;
        }
        vars ??= await ruleVarsOf(tx, loaded.metamodel, event, now).then(
          (v) => {
            assertRuleData(v.record, 'record');
            assertRuleData(v.event, 'event');
            return v;
          },
          (error: unknown) => (isRuleError(error) ? (error as Error) : Promise.reject(error)),
        );
        if (vars instanceof Error || vars === null) {
          runs.push({ ...base, outcome: 'error', error: vars?.message ?? 'no data' });
          continue;
        }
        const cause: EventCause = { depth, chain: [...event.cause.chain, rule.name] };
        const ctx: StepContext = {
          tx,
          db: deps.db,
          ...loaded,
          clock: deps.clock,
          actions: deps.actions,
          rule: rule.name,
          cause,
          definitions: loaded.defs,
        };
        runs.push({ ...base, ...(await runRule(ctx, event, rule, instructions, condition, vars)) });
      }
      await appendRuleRuns(tx, event.schema, runs);
    },
  };
}

async function runRule(
  ctx: StepContext,
  event: KernelEvent,
  rule: CompiledRule,
  instructions: Instruction[],
  checkCondition: boolean,
  vars: RuleVars,
): Promise<{ outcome: RuleOutcome; error: string | null }> {
  const condition = checkCondition ? rule.condition : null;
  if (condition instanceof Error) return { outcome: 'error', error: condition.message };
  await ctx.tx.run(sql`SAVEPOINT tenon_rule`);
  try {
    if (condition) {
      const result = evaluateRuleExpr(condition, vars);
      if (result !== true) {
        await ctx.tx.run(sql`RELEASE SAVEPOINT tenon_rule`);
        return {
          outcome: 'skipped',
          error: result === false ? null : `the condition gave ${JSON.stringify(result)}, not true`,
        };
      }
    }
    const target = boundRecordOf(event);
    const p = event.payload;
    const pid = typeof p.pid === 'string' ? p.pid : typeof p.sourcePid === 'string' ? p.sourcePid : null;
    for (const instruction of instructions) {
      const step = planInstruction(instruction, { rule: rule.name, vars, target, pid });
      await executeStep(ctx, step);
    }
    await ctx.tx.run(sql`RELEASE SAVEPOINT tenon_rule`);
    return { outcome: 'ok', error: null };
  } catch (error) {
    if (!isRuleError(error)) throw error;
    await ctx.tx.run(sql`ROLLBACK TO SAVEPOINT tenon_rule`);
    return { outcome: 'error', error: ruleErrorText(error) };
  }
}

function timerPayload(event: KernelEvent): RuleTimerPayload | null {
  if (event.topic !== 'timer.fired') return null;
  const p = event.payload as Partial<RuleTimerPayload>;
  return typeof p.rule === 'string' && Array.isArray(p.run) ? (p as RuleTimerPayload) : null;
}

function runBase(event: KernelEvent, rule: CompiledRule, depth: number, now: Date) {
  return {
    rule: rule.name,
    ruleVersion: rule.version,
    eventId: event.id,
    topic: event.topic,
    entity: event.entity,
    recordId: event.recordId,
    depth,
    at: now.toISOString(),
  };
}

async function log(tx: Tx, event: KernelEvent, rule: string, now: Date, error: string) {
  const base = {
    ...runBase(event, { name: rule, version: 0 } as CompiledRule, event.cause.depth + 1, now),
    ruleVersion: null,
  };
  await appendRuleRuns(tx, event.schema, [{ ...base, outcome: 'skipped', error }]);
}
