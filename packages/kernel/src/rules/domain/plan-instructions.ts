/**
 * Pure: a rule's instructions with their expressions evaluated against the rule's data: what would
 * happen, with the values. The dry run shows these steps; the handler executes them.
 */
import { ExprError } from '@tenon/design';
import type { ExprMap, Instruction, RuleTimerPayload } from '../rule.types.ts';
import { compileRuleExpr, evaluateRuleExpr, type RuleVars } from '../rule-expressions.ts';

type Target = { entity: string | null; recordId: string | null };

export type PlannedStep =
  | ({
      do: 'create_process';
      service: string;
      priority: number | null;
      context: Record<string, unknown>;
      dueAt: string | null;
    } & Target)
  | { do: 'transition_process'; pid: string; transition: string; reason: string | null }
  | { do: 'set_field'; entity: string; recordId: string; field: string; value: unknown }
  | { do: 'create_record'; entity: string; values: Record<string, unknown> }
  | { do: 'call_action'; entity: string; recordId: string; action: string; body: Record<string, unknown> }
  | ({
      do: 'notify';
      userId: string | null;
      role: string | null;
      title: Record<string, string>;
      body: string | null;
    } & Target)
  | ({ do: 'emit'; topic: string; payload: Record<string, unknown> } & Target)
  | { do: 'schedule_timer'; dueAt: string; payload: RuleTimerPayload };

export type PlanInput = {
  rule: string;
  vars: RuleVars;
  /** The record the event is about (or the process's bound record). */
  target: Target;
  /** The event's process, if any. */
  pid: string | null;
};

const evaluate = (source: string, vars: RuleVars) => evaluateRuleExpr(compileRuleExpr(source), vars);

function evaluateMap(map: ExprMap | undefined, vars: RuleVars): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, source] of Object.entries(map ?? {})) out[key] = evaluate(source, vars);
  return out;
}

function needRecord(target: Target, what: string): { entity: string; recordId: string } {
  if (!target.entity || !target.recordId) throw new ExprError(`${what}: the event has no record`);
  return { entity: target.entity, recordId: target.recordId };
}

const MINUTE = 60_000;

function instant(value: unknown, what: string): string {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new ExprError(`${what} must be a timestamp, got ${JSON.stringify(value)}`);
  return new Date(time).toISOString();
}

export function planInstruction(ins: Instruction, input: PlanInput): PlannedStep {
  const { vars, target } = input;
  const now = Date.parse(vars.now);
  switch (ins.do) {
    case 'create_process': {
      const bound = ins.bind === 'none' ? { entity: null, recordId: null } : target;
      return {
        do: 'create_process',
        service: ins.service,
        ...bound,
        priority: ins.priority ?? null,
        context: evaluateMap(ins.context, vars),
        dueAt: ins.dueInMinutes ? new Date(now + ins.dueInMinutes * MINUTE).toISOString() : null,
      };
    }
    case 'transition_process': {
      const pid = ins.pid !== undefined ? evaluate(ins.pid, vars) : input.pid;
      if (typeof pid !== 'string') throw new ExprError('transition_process: no process (give pid)');
      return { do: 'transition_process', pid, transition: ins.transition, reason: ins.reason ?? null };
    }
    case 'set_field':
      return {
        do: 'set_field',
        ...needRecord(target, 'set_field'),
        field: ins.field,
        value: evaluate(ins.value, vars),
      };
    case 'create_record':
      return { do: 'create_record', entity: ins.entity, values: evaluateMap(ins.values, vars) };
    case 'call_action':
      return {
        do: 'call_action',
        ...needRecord(target, 'call_action'),
        action: ins.action,
        body: evaluateMap(ins.body, vars),
      };
    case 'notify': {
      const user = ins.user !== undefined ? evaluate(ins.user, vars) : null;
      if (ins.user !== undefined && (typeof user !== 'string' || user === '')) {
        throw new ExprError(`notify: user must be a user id, got ${JSON.stringify(user)}`);
      }
      const body = ins.body !== undefined ? evaluate(ins.body, vars) : null;
      return {
        do: 'notify',
        userId: user as string | null,
        role: ins.role ?? null,
        title: ins.title as Record<string, string>,
        body: body === null ? null : String(body),
        ...target,
      };
    }
    case 'emit':
      return { do: 'emit', topic: ins.topic, ...target, payload: evaluateMap(ins.payload, vars) };
    case 'schedule_timer': {
      const dueAt =
        ins.at !== undefined
          ? instant(evaluate(ins.at, vars), 'schedule_timer.at')
          : new Date(now + (ins.afterMinutes ?? (ins.afterDays ?? 0) * 1440) * MINUTE).toISOString();
      return {
        do: 'schedule_timer',
        dueAt,
        payload: {
          rule: input.rule,
          run: ins.run,
          entity: target.entity,
          recordId: target.recordId,
          sourcePid: input.pid,
        },
      };
    }
  }
}
