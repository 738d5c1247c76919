/**
 * Declared actions (submit, confirm, cancel, post, ...): modules register a handler per
 * `entity.action`; the generic route validates nothing itself and calls exactly one handler.
 */
import type { Executor } from '@tenon/db';
import type { CompiledEntity, RecordContext, RecordData } from '@tenon/design';

export type ActionHandler = (input: {
  tx: Executor;
  ctx: RecordContext;
  entity: CompiledEntity;
  id: string;
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
