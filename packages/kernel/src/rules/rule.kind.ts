/**
 * The `rule` design object kind: shape, references (entities, fields, actions, services) and every CEL
 * expression checked at save, refused with field paths such as `instructions.2.value`.
 */
import type { FieldError, Label } from '@tenon/core';
import type { CompiledEntity, ObjectCheckContext, ObjectKind } from '@tenon/design';
import { RULE_TOPICS, type RuleDef } from './rule.types.ts';
import { checkRuleExpr, type ExpectedType } from './rule-expressions.ts';

const NAME = /^[a-z][a-z0-9_]{0,62}$/;
const TOPIC = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const CRON = /^(\S+\s+){4}\S+$/;
const MAX_INSTRUCTIONS = 20;
const MAX_TIMER_NESTING = 3;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function isLabel(v: unknown): v is Label {
  if (!isObj(v)) return false;
  const keys = Object.keys(v);
  return (
    keys.length > 0 &&
    keys.every(
      (k) => (k === 'zh-CN' || k === 'en') && typeof v[k] === 'string' && (v[k] as string).length <= 200,
    )
  );
}

class Checker {
  readonly errors: FieldError[] = [];
  constructor(readonly ctx: ObjectCheckContext) {}

  fail(field: string, code: string, message: string): undefined {
    this.errors.push({ field, code, message });
  }

  expr(path: string, source: unknown, expect: ExpectedType, entity: CompiledEntity | null): undefined {
    const problem = checkRuleExpr(source, expect, entity);
    if (problem) this.fail(path, 'expression', problem);
  }

  exprMap(path: string, map: unknown, entity: CompiledEntity | null): undefined {
    if (map === undefined) return;
    if (!isObj(map)) return this.fail(path, 'type', 'must be a map of CEL expressions');
    for (const [key, source] of Object.entries(map)) this.expr(`${path}.${key}`, source, 'any', entity);
  }

  entity(path: string, name: unknown): CompiledEntity | null {
    if (typeof name !== 'string') {
      this.fail(path, 'required', 'an entity name is required');
      return null;
    }
    const found = this.ctx.metamodel.find(name);
    if (!found) this.fail(path, 'unknown_entity', `no entity named ${name}`);
    return found ?? null;
  }

  service(path: string, name: unknown): undefined {
    const exists = this.ctx.objects.some((o) => o.kind === 'service' && o.name === name);
    if (typeof name !== 'string' || !exists)
      this.fail(path, 'unknown_service', `no service named ${String(name)}`);
  }

  instructions(path: string, list: unknown, entity: CompiledEntity | null, nesting: number): undefined {
    if (!Array.isArray(list) || list.length === 0)
      return this.fail(path, 'required', 'at least one instruction');
    if (list.length > MAX_INSTRUCTIONS)
      this.fail(path, 'too_many', `at most ${MAX_INSTRUCTIONS} instructions`);
    for (const [i, item] of list.entries()) this.instruction(`${path}.${i}`, item, entity, nesting);
  }

  instruction(path: string, ins: unknown, entity: CompiledEntity | null, nesting: number): undefined {
    if (!isObj(ins)) return this.fail(path, 'type', 'an instruction is an object with a `do`');
    const noRecord = (what: string) =>
      this.fail(`${path}.do`, 'no_record', `${what} needs a rule whose event names an entity`);
    switch (ins.do) {
      case 'create_process':
        this.service(`${path}.service`, ins.service);
        if (ins.bind !== undefined && ins.bind !== 'event' && ins.bind !== 'none') {
          this.fail(`${path}.bind`, 'enum', "must be 'event' or 'none'");
        }
        if (
          ins.priority !== undefined &&
          !(
            Number.isInteger(ins.priority) &&
            (ins.priority as number) >= 0 &&
            (ins.priority as number) <= 100
          )
        ) {
          this.fail(`${path}.priority`, 'range', 'an integer from 0 to 100');
        }
        if (
          ins.dueInMinutes !== undefined &&
          !(Number.isInteger(ins.dueInMinutes) && (ins.dueInMinutes as number) > 0)
        ) {
          this.fail(`${path}.dueInMinutes`, 'range', 'a positive integer');
        }
        return this.exprMap(`${path}.context`, ins.context, entity);
      case 'transition_process':
        if (typeof ins.transition !== 'string' || !NAME.test(ins.transition)) {
          this.fail(`${path}.transition`, 'required', 'a transition name such as complete or cancel');
        }
        if (ins.pid !== undefined) this.expr(`${path}.pid`, ins.pid, 'string', entity);
        return;
      case 'set_field': {
        if (!entity) return noRecord('set_field');
        const field = typeof ins.field === 'string' ? entity.fields.get(ins.field) : undefined;
        if (!field)
          this.fail(
            `${path}.field`,
            'unknown_field',
            `entity ${entity.def.name} has no field ${String(ins.field)}`,
          );
        return this.expr(`${path}.value`, ins.value, 'any', entity);
      }
      case 'create_record': {
        const target = this.entity(`${path}.entity`, ins.entity);
        if (!isObj(ins.values)) return this.fail(`${path}.values`, 'required', 'a map of field: CEL');
        for (const key of Object.keys(ins.values)) {
          if (target && !target.fields.has(key))
            this.fail(
              `${path}.values.${key}`,
              'unknown_field',
              `entity ${target.def.name} has no field ${key}`,
            );
        }
        return this.exprMap(`${path}.values`, ins.values, entity);
      }
      case 'call_action':
        if (!entity) return noRecord('call_action');
        if (!entity.def.actions?.some((a) => a.name === ins.action)) {
          this.fail(
            `${path}.action`,
            'unknown_action',
            `entity ${entity.def.name} declares no action ${String(ins.action)}`,
          );
        }
        return this.exprMap(`${path}.body`, ins.body, entity);
      case 'notify':
        if (!isLabel(ins.title)) this.fail(`${path}.title`, 'label', 'a label { "zh-CN": …, "en": … }');
        if ((ins.user === undefined) === (ins.role === undefined))
          this.fail(path, 'recipient', 'exactly one of user (CEL) or role');
        if (ins.user !== undefined) this.expr(`${path}.user`, ins.user, 'string', entity);
        if (ins.role !== undefined && (typeof ins.role !== 'string' || !NAME.test(ins.role)))
          this.fail(`${path}.role`, 'name', 'a role name');
        if (ins.body !== undefined) this.expr(`${path}.body`, ins.body, 'string', entity);
        return;
      case 'emit':
        if (
          typeof ins.topic !== 'string' ||
          !TOPIC.test(ins.topic) ||
          /^(record|process|timer|action)\./.test(ins.topic)
        ) {
          this.fail(
            `${path}.topic`,
            'topic',
            'a dotted topic of your own such as lead.qualified (not record.*, process.*, timer.*, action.*)',
          );
        }
        return this.exprMap(`${path}.payload`, ins.payload, entity);
      case 'schedule_timer': {
        const whens = ['afterMinutes', 'afterDays', 'at'].filter((k) => ins[k] !== undefined);
        if (whens.length !== 1) this.fail(path, 'when', 'exactly one of afterMinutes, afterDays or at');
        for (const k of ['afterMinutes', 'afterDays']) {
          if (ins[k] !== undefined && !(Number.isInteger(ins[k]) && (ins[k] as number) > 0))
            this.fail(`${path}.${k}`, 'range', 'a positive integer');
        }
        if (ins.at !== undefined) this.expr(`${path}.at`, ins.at, 'timestamp', entity);
        if (nesting >= MAX_TIMER_NESTING)
          return this.fail(`${path}.run`, 'too_deep', `timers nest at most ${MAX_TIMER_NESTING} levels`);
        return this.instructions(`${path}.run`, ins.run, entity, nesting + 1);
      }
      default:
        this.fail(`${path}.do`, 'enum', `unknown instruction ${String(ins.do)}`);
    }
  }
}

function checkEvent(c: Checker, event: unknown): CompiledEntity | null {
  if (!isObj(event)) {
    c.fail('event', 'required', 'an event { topic, entity?, … } is required');
    return null;
  }
  const topic = event.topic;
  if (!(RULE_TOPICS as readonly unknown[]).includes(topic)) {
    c.fail('event.topic', 'enum', `one of ${RULE_TOPICS.join(', ')}`);
    return null;
  }
  const recordTopic = /^(record\.|field\.|action\.)/.test(topic as string);
  const entity = event.entity !== undefined || recordTopic ? c.entity('event.entity', event.entity) : null;
  if (
    topic === 'field.changed' &&
    entity &&
    (typeof event.field !== 'string' || !entity.fields.has(event.field))
  ) {
    c.fail('event.field', 'unknown_field', `entity ${entity.def.name} has no field ${String(event.field)}`);
  }
  if (
    topic === 'action.done' &&
    entity &&
    event.action !== undefined &&
    !entity.def.actions?.some((a) => a.name === event.action)
  ) {
    c.fail(
      'event.action',
      'unknown_action',
      `entity ${entity.def.name} declares no action ${String(event.action)}`,
    );
  }
  if (topic === 'process.state_changed') {
    if (event.service !== undefined) c.service('event.service', event.service);
    if (
      event.state !== undefined &&
      !['NEW', 'READY', 'RUNNING', 'WAITING', 'SUSPENDED', 'TERMINATED'].includes(event.state as string)
    ) {
      c.fail('event.state', 'enum', 'a process state such as TERMINATED');
    }
  }
  if (topic === 'cron') {
    const s = event.schedule;
    if (!isObj(s) || typeof s.cron !== 'string' || !CRON.test(s.cron.trim()))
      c.fail('event.schedule.cron', 'cron', 'a five-field cron expression such as "0 8 * * 1"');
    else if (s.tz !== undefined && (typeof s.tz !== 'string' || !validZone(s.tz)))
      c.fail('event.schedule.tz', 'tz', 'an IANA time zone such as Asia/Shanghai');
  }
  return entity;
}

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const ruleKind: ObjectKind = {
  kind: 'rule',
  label: { 'zh-CN': '规则', en: 'Rule' },
  check(input, ctx) {
    const c = new Checker(ctx);
    if (!isObj(input)) return { errors: [{ field: '', code: 'type', message: 'a rule is a JSON object' }] };
    if (typeof input.name !== 'string' || !NAME.test(input.name))
      c.fail('name', 'name', 'lower_snake_case, at most 63 characters');
    if (!isLabel(input.label)) c.fail('label', 'label', 'a label { "zh-CN": …, "en": … }');
    if (input.enabled !== undefined && typeof input.enabled !== 'boolean')
      c.fail('enabled', 'type', 'true or false');
    const entity = checkEvent(c, input.event);
    if (input.condition !== undefined) c.expr('condition', input.condition, 'bool', entity);
    c.instructions('instructions', input.instructions, entity, 0);
    if (c.errors.length > 0) return { errors: c.errors };
    const value: RuleDef = {
      name: input.name as string,
      label: input.label as Label,
      enabled: input.enabled !== false,
      ...(typeof input.description === 'string' ? { description: input.description } : {}),
      event: input.event as RuleDef['event'],
      ...(input.condition !== undefined ? { condition: input.condition as string } : {}),
      instructions: input.instructions as RuleDef['instructions'],
    };
    return { value };
  },
};
