/** Pure: does a rule's event clause match an outbox event, and which index keys does a rule live under. */
import type { RuleEvent } from '../rule.types.ts';

export type EventShape = {
  topic: string;
  entity: string | null;
  payload: Record<string, unknown>;
};

/** The outbox topic a rule listens to (field.changed rules hear record.updated). */
export function listenedTopic(event: RuleEvent): string {
  return event.topic === 'field.changed' ? 'record.updated' : event.topic;
}

export function matchesEvent(rule: RuleEvent, event: EventShape): boolean {
  if (listenedTopic(rule) !== event.topic) return false;
  const p = event.payload;
  switch (rule.topic) {
    case 'record.created':
    case 'record.updated':
    case 'record.deleted':
      return rule.entity === undefined || rule.entity === event.entity;
    case 'field.changed':
      return (
        (rule.entity === undefined || rule.entity === event.entity) &&
        Array.isArray(p.changed) &&
        p.changed.includes(rule.field)
      );
    case 'action.done':
      return (
        (rule.entity === undefined || rule.entity === event.entity) &&
        (rule.action === undefined || rule.action === p.action)
      );
    case 'process.state_changed':
      return (
        (rule.service === undefined || rule.service === p.service) &&
        (rule.state === undefined || rule.state === p.to) &&
        (rule.entity === undefined || rule.entity === p.entity)
      );
    case 'timer.fired':
      // Timers a rule scheduled itself carry `run` and run through the handler directly.
      return p.run === undefined && (rule.entity === undefined || rule.entity === event.entity);
    case 'cron':
      return true;
  }
}
