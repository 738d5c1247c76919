/** The `rule` design object: an event, a CEL condition, instructions. */
import type { Label } from '@tenon/core';

export const RULE_TOPICS = [
  'record.created',
  'record.updated',
  'record.deleted',
  'field.changed',
  'action.done',
  'process.state_changed',
  'timer.fired',
  'cron',
] as const;
export type RuleTopic = (typeof RULE_TOPICS)[number];

export type RuleEvent = {
  topic: RuleTopic;
  entity?: string;
  /** For `field.changed`: the field whose change triggers the rule. */
  field?: string;
  /** For `action.done`: the action's name. */
  action?: string;
  /** For `process.state_changed`: the process's service and the state it moved to. */
  service?: string;
  state?: string;
  /** For `cron`: a cron expression and its time zone. */
  schedule?: { cron: string; tz?: string };
};

/** A map of CEL expressions, evaluated to JSON values. */
export type ExprMap = Record<string, string>;

export type Instruction =
  | {
      do: 'create_process';
      service: string;
      bind?: 'event' | 'none';
      priority?: number;
      context?: ExprMap;
      dueInMinutes?: number;
    }
  | { do: 'transition_process'; pid?: string; transition: string; reason?: string }
  | { do: 'set_field'; field: string; value: string }
  | { do: 'create_record'; entity: string; values: ExprMap }
  | { do: 'call_action'; action: string; body?: ExprMap }
  | { do: 'notify'; user?: string; role?: string; title: Label; body?: string }
  | { do: 'emit'; topic: string; payload?: ExprMap }
  | {
      do: 'schedule_timer';
      afterMinutes?: number;
      afterDays?: number;
      at?: string;
      run: Instruction[];
    };

export type InstructionKind = Instruction['do'];

export type RuleDef = {
  name: string;
  label: Label;
  enabled: boolean;
  description?: string;
  event: RuleEvent;
  condition?: string;
  instructions: Instruction[];
};

/** What a timer set by `schedule_timer` carries; its `timer.fired` event runs `run` (K3's timers). */
export type RuleTimerPayload = {
  rule: string;
  run: Instruction[];
  entity: string | null;
  recordId: string | null;
  /** The process of the event that scheduled it (a rule's timer wakes no process). */
  sourcePid: string | null;
};
