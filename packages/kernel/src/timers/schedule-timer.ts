/** Durable timers as other kernel parts use them, inside their own transaction. */
import type { Tx } from '@tenon/db';
import { deleteUnfired, insertTimer, type TimerInput } from './timer.repository.ts';

export type { TimerInput } from './timer.repository.ts';

/**
 * Schedules a timer in the caller's transaction: at `dueAt` (by the timer loop's clock) an event with
 * topic `timer.fired` (or `topic`) is appended to the outbox with payload
 * `{ ...payload, timerId, pid, rule, dueAt, firedAt }`, entity `_process` and recordId = pid when a
 * process waits on it (else entity `_timer`, recordId = the timer id). Returns the timer id.
 */
export function scheduleTimer(tx: Tx, schema: string, input: TimerInput): Promise<string> {
  return insertTimer(tx, schema, input);
}

/** Cancels a timer that has not fired; false when it fired already or never existed. */
export async function cancelTimer(tx: Tx, schema: string, id: string): Promise<boolean> {
  return (await deleteUnfired(tx, schema, { id })) > 0;
}

/** Cancels every unfired timer of a process (it ended, or stopped waiting). */
export function cancelProcessTimers(tx: Tx, schema: string, pid: string): Promise<number> {
  return deleteUnfired(tx, schema, { pid });
}
