/**
 * The expression environment of rules: plain JSON variables only (`event`, `record`, `process`, `now`),
 * the static sandbox of design's expressions (node count, nesting, no nested loops, safe regexes), a
 * bound on the data an expression reads, and a time budget per evaluation.
 */
import {
  type BoundVars,
  type CompiledEntity,
  type CompiledExpr,
  createExprEnv,
  type ExprEnv,
  ExprError,
  fromCelValue,
  inspectExpression,
  selectedFields,
} from '@tenon/design';

/**
 * Refuse an evaluation that ran longer than this, measured after it ends. The static limits keep the
 * worst case of every expression under 50 ms on an idle machine (sandbox.spec.ts); the budget is twice
 * that so that a garbage-collection pause on a busy machine does not fail a legitimate rule.
 */
export const RULE_EVAL_BUDGET_MS = 100;
/** Strings and lists a rule may read (longer ones make the evaluation an error, logged, never run). */
export const MAX_RULE_STRING = 10_000;
export const MAX_RULE_LIST = 1_000;
/** Characters of all strings a rule reads together (event and record). */
export const MAX_RULE_DATA_CHARS = 200_000;

let env: ExprEnv | undefined;

export function ruleExprEnv(): ExprEnv {
  env ??= createExprEnv([
    { name: 'event', type: 'map' },
    { name: 'record', type: 'dyn' },
    { name: 'process', type: 'dyn' },
    { name: 'now', type: 'timestamp' },
  ]);
  return env;
}

export type ExpectedType = 'bool' | 'string' | 'timestamp' | 'any';

/** Why an expression cannot be used in a rule (null: it can). */
export function checkRuleExpr(
  source: unknown,
  expect: ExpectedType,
  entity: CompiledEntity | null,
): string | null {
  if (typeof source !== 'string' || source.trim() === '')
    return 'must be a CEL expression (a non-empty string)';
  const problems = inspectExpression(source);
  if (problems.length > 0) return problems.join('; ');
  const checked = ruleExprEnv().check(source);
  if (!checked.valid) return checked.error;
  const fits =
    expect === 'any' ||
    checked.type === 'dyn' ||
    (expect === 'bool' && checked.type === 'bool') ||
    (expect === 'string' && checked.type === 'string') ||
    (expect === 'timestamp' && (checked.type === 'timestamp' || checked.type === 'string'));
  if (!fits) return `must be of type ${expect}, but is ${checked.type}`;
  if (entity) {
    for (const path of [['record'], ['event', 'after'], ['event', 'before']]) {
      for (const field of selectedFields(source, path)) {
        if (!entity.fields.has(field) && !SYSTEM_FIELDS.has(field)) {
          return `${path.join('.')}.${field}: entity ${entity.def.name} has no field ${field}`;
        }
      }
    }
  }
  return null;
}

const SYSTEM_FIELDS = new Set(['id', 'version', 'created_at', 'updated_at', 'created_by', 'updated_by']);

export function compileRuleExpr(source: string): CompiledExpr {
  const problems = inspectExpression(source);
  if (problems.length > 0) throw new ExprError(problems.join('; '));
  return ruleExprEnv().compile(source);
}

export type RuleVars = {
  event: Record<string, unknown>;
  record: Record<string, unknown> | null;
  process: Record<string, unknown> | null;
  now: string;
};

/** Each event's data is converted to CEL values once, then shared by every rule that reads it. */
const bound = new WeakMap<RuleVars, BoundVars>();

function timed(expr: CompiledExpr, vars: BoundVars): { value: unknown; ms: number } {
  const started = performance.now();
  const value = fromCelValue(expr.evaluate(vars));
  return { value, ms: performance.now() - started };
}

/**
 * Evaluates to JSON (decimals as strings), or throws ExprError (data too large, runtime error, too
 * slow). An evaluation over the budget runs once more before it is refused: evaluations are pure, and
 * a pause of a busy machine rarely strikes twice, while a slow expression is slow every time.
 */
export function evaluateRuleExpr(expr: CompiledExpr, vars: RuleVars): unknown {
  let data = bound.get(vars);
  if (!data) {
    data = ruleExprEnv().bind(vars);
    bound.set(vars, data);
  }
  let run = timed(expr, data);
  if (run.ms > RULE_EVAL_BUDGET_MS) run = timed(expr, data);
  if (run.ms > RULE_EVAL_BUDGET_MS) {
    throw new ExprError(
      `The evaluation took ${Math.round(run.ms)} ms; the budget is ${RULE_EVAL_BUDGET_MS} ms`,
    );
  }
  return run.value;
}

/** Refuses data a rule may not read: strings and lists over the limits, nesting over 32 levels. */
export function assertRuleData(value: unknown, path = ''): void {
  const budget = { chars: MAX_RULE_DATA_CHARS };
  checkData(value, path, 0, budget);
}

function checkData(value: unknown, path: string, depth: number, budget: { chars: number }): void {
  if (depth > 32) throw new ExprError(`${path || 'data'} is nested more than 32 levels deep`);
  if (typeof value === 'string') {
    if (value.length > MAX_RULE_STRING) {
      throw new ExprError(
        `${path || 'a value'} has ${value.length} characters; rules read strings of at most ${MAX_RULE_STRING}`,
      );
    }
    budget.chars -= value.length;
    if (budget.chars < 0)
      throw new ExprError(`${path || 'data'}: rules read at most ${MAX_RULE_DATA_CHARS} characters in all`);
  } else if (Array.isArray(value)) {
    if (value.length > MAX_RULE_LIST) {
      throw new ExprError(
        `${path || 'a list'} has ${value.length} items; rules read lists of at most ${MAX_RULE_LIST}`,
      );
    }
    for (const [i, item] of value.entries()) checkData(item, `${path}.${i}`, depth + 1, budget);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      budget.chars -= key.length;
      checkData(item, path ? `${path}.${key}` : key, depth + 1, budget);
    }
  }
}
