export { listenedTopic, matchesEvent } from './domain/match-rule.ts';
export { type PlannedStep, planInstruction } from './domain/plan-instructions.ts';
export { RuleErrors } from './errors.ts';
export { ruleActor } from './execute-step.ts';
export * from './notification.repository.ts';
export { ruleKind } from './rule.kind.ts';
export * from './rule.types.ts';
export {
  checkRuleExpr,
  compileRuleExpr,
  evaluateRuleExpr,
  MAX_RULE_LIST,
  MAX_RULE_STRING,
  RULE_EVAL_BUDGET_MS,
  type RuleVars,
  ruleExprEnv,
} from './rule-expressions.ts';
export { createRuleHandler, MAX_RULE_DEPTH, type RuleHandlerDeps } from './rule-handler.ts';
export { type CompiledRule, compileRule, cronSchedulesOf, findRule, rulesFor } from './rule-index.ts';
export { listRuleRuns, type RuleOutcome, type RuleRun } from './rule-run.repository.ts';
export { rulesMigrations } from './rules.migrations.ts';
export { type DryRunInput, type DryRunResult, dryRunRule } from './services/dry-run-rule.service.ts';
export { readNotification } from './services/read-notification.service.ts';
