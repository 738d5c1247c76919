/** Executes one planned step inside the delivery transaction, as `rule:<name>` with the cascade cause. */
import { AppError, type Clock } from '@tenon/core';
import type { Database, Tx } from '@tenon/db';
import {
  type ActionRegistry,
  type Actor,
  appendEvents,
  createRecordIn,
  type EventCause,
  ExprError,
  type RecordContext,
  runAction,
  systemContext,
  type TenantMetamodel,
  updateRecordIn,
} from '@tenon/design';
import type { TenantKernelDefinitions } from '../definitions/kernel-definitions.ts';
import type { KernelEnv } from '../env.ts';
import { createProcess } from '../services/create-process.service.ts';
import { transitionProcess } from '../services/transition-process.service.ts';
import { scheduleTimer } from '../timers/schedule-timer.ts';
import type { PlannedStep } from './domain/plan-instructions.ts';
import { insertNotification } from './notification.repository.ts';

export type StepContext = {
  tx: Tx;
  db: Database;
  metamodel: TenantMetamodel;
  definitions: TenantKernelDefinitions;
  clock: Clock;
  actions: ActionRegistry;
  rule: string;
  cause: EventCause;
};

export const ruleActor = (rule: string): Actor => ({ userId: null, username: `rule:${rule}` });

function recordContext(c: StepContext): RecordContext {
  return systemContext({
    db: c.db,
    metamodel: c.metamodel,
    actor: ruleActor(c.rule),
    clock: c.clock,
    cause: c.cause,
  });
}

function kernelEnv(c: StepContext): KernelEnv {
  return {
    metamodel: c.metamodel,
    definitions: c.definitions,
    clock: c.clock,
    actor: ruleActor(c.rule),
    cause: c.cause,
  };
}

/** Returns what the step produced (a created id), for the run log and the caller. */
export async function executeStep(c: StepContext, step: PlannedStep): Promise<Record<string, unknown>> {
  const schema = c.metamodel.tenant.schemaName;
  switch (step.do) {
    case 'create_process': {
      const { pid } = await createProcess(c.tx, kernelEnv(c), {
        service: step.service,
        entity: step.entity,
        recordId: step.recordId,
        ...(step.priority !== null ? { priority: step.priority } : {}),
        context: step.context,
        dueAt: step.dueAt,
      });
      return { pid };
    }
    case 'transition_process':
      await transitionProcess(c.tx, kernelEnv(c), {
        pid: step.pid,
        transition: step.transition,
        ...(step.reason ? { reason: step.reason } : {}),
      });
      return { pid: step.pid };
    case 'set_field': {
      const entity = c.metamodel.get(step.entity);
      await updateRecordIn(c.tx, recordContext(c), entity, {
        id: step.recordId,
        patch: { [step.field]: step.value },
        expectedVersion: null,
      });
      return { id: step.recordId };
    }
    case 'create_record': {
      const created = await createRecordIn(c.tx, recordContext(c), c.metamodel.get(step.entity), step.values);
      return { id: created.id };
    }
    case 'call_action':
      await runAction(c.tx, recordContext(c), {
        registry: c.actions,
        entity: c.metamodel.get(step.entity),
        id: step.recordId,
        action: step.action,
        body: step.body,
      });
      return { id: step.recordId };
    case 'notify': {
      const id = await insertNotification(
        c.tx,
        schema,
        { ...step, rule: c.rule },
        c.clock.now().toISOString(),
      );
      return { id };
    }
    case 'emit':
      await appendEvents(
        c.tx,
        schema,
        [{ topic: step.topic, entity: step.entity, recordId: step.recordId, payload: step.payload }],
        {
          actor: ruleActor(c.rule),
          cause: c.cause,
        },
      );
      return {};
    case 'schedule_timer': {
      // Not tied to the process (`pid`): a rule's timer wakes no process; the payload names it.
      const timer = await scheduleTimer(c.tx, schema, {
        dueAt: step.dueAt,
        payload: step.payload,
        rule: c.rule,
      });
      return { timer };
    }
  }
}

/** Errors a rule's own definition or data cause (logged, the event goes on) versus infrastructure errors (retry). */
export function ruleErrorText(error: unknown): string {
  if (error instanceof AppError) {
    const details = error.details.map((d) => `${d.field}: ${d.message}`).join('; ');
    return `${error.code}: ${error.message}${details ? ` (${details})` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function isRuleError(error: unknown): boolean {
  return error instanceof AppError || error instanceof ExprError;
}
