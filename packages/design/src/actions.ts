/**
 * Declared actions (submit, confirm, cancel, post, ...): modules register one handler per
 * `entity.action`. Handlers run inside `runAction`, which checks access, locks the record and
 * audits the change, so a handler holds only the business step.
 */
import type { Executor } from '@tenon/db';
import type { RecordContext } from './records/context.ts';
import type { RecordData } from './records/row-mapping.ts';
import type { CompiledEntity } from './registry.ts';

export type ActionHandler = (input: {
  tx: Executor;
  /** The acting user (audited as them) with the action's authority: writes are not checked again. */
  ctx: RecordContext;
  entity: CompiledEntity;
  /** The record as it was, locked for this transaction. */
  record: RecordData;
  body: unknown;
}) => Promise<RecordData>;

export class ActionRegistry {
  private readonly handlers = new Map<string, ActionHandler>();

  register(entity: string, action: string, handler: ActionHandler): void {
    const key = `${entity}.${action}`;
    if (this.handlers.has(key)) throw new Error(`action registered twice: ${key}`);
    this.handlers.set(key, handler);
  }

  find(entity: string, action: string): ActionHandler | undefined {
    return this.handlers.get(`${entity}.${action}`);
  }
}
