/**
 * The one transition table of processes, and the pure decision of a transition: state + transition +
 * input + now -> the fields that change, or KERNEL_ILLEGAL_TRANSITION. No I/O, no clock.
 */
import { AppError } from '@tenon/core';
import { ProcessErrors } from '../processes/errors.ts';
import type { ExitReason, Process, ProcessState, WaitReason } from '../types.ts';

export type TransitionName =
  | 'admit'
  | 'wait'
  | 'wake'
  | 'assign'
  | 'claim'
  | 'release'
  | 'start'
  | 'suspend'
  | 'resume'
  | 'handover'
  | 'complete'
  | 'fail'
  | 'cancel'
  | 'time_out';

const LIVE: readonly ProcessState[] = ['NEW', 'READY', 'RUNNING', 'WAITING', 'SUSPENDED'];

/** From which states each transition may run, and where it leads (`wake` goes back to where it came from). */
export const TRANSITIONS: Readonly<
  Record<
    TransitionName,
    { from: readonly ProcessState[]; to: ProcessState | 'READY|RUNNING'; exit?: ExitReason }
  >
> = {
  admit: { from: ['NEW'], to: 'READY' },
  wait: { from: ['READY', 'RUNNING'], to: 'WAITING' },
  wake: { from: ['WAITING'], to: 'READY|RUNNING' },
  assign: { from: ['READY'], to: 'READY' },
  claim: { from: ['READY'], to: 'READY' },
  release: { from: ['READY'], to: 'READY' },
  start: { from: ['READY'], to: 'RUNNING' },
  suspend: { from: ['RUNNING'], to: 'SUSPENDED' },
  resume: { from: ['SUSPENDED'], to: 'RUNNING' },
  handover: { from: ['READY', 'RUNNING', 'SUSPENDED'], to: 'READY' },
  complete: { from: ['RUNNING'], to: 'TERMINATED', exit: 'done' },
  fail: { from: ['RUNNING', 'WAITING'], to: 'TERMINATED', exit: 'failed' },
  cancel: { from: LIVE, to: 'TERMINATED', exit: 'cancelled' },
  time_out: { from: LIVE, to: 'TERMINATED', exit: 'timed_out' },
};

export const TRANSITION_NAMES = Object.keys(TRANSITIONS) as TransitionName[];

export function isTransitionName(name: unknown): name is TransitionName {
  return typeof name === 'string' && Object.hasOwn(TRANSITIONS, name);
}

export type TransitionInput = {
  /** The operator taking it (assign, claim, start, handover). */
  operatorId?: string | null;
  /** For `wait`. */
  waitReason?: WaitReason;
  waitOn?: Record<string, unknown> | null;
};

/** The fields a transition changes. */
export type ProcessChange = Pick<
  Process,
  'state' | 'operatorId' | 'waitReason' | 'waitOn' | 'exitReason' | 'startedAt' | 'endedAt' | 'readySince'
>;

const WAIT_REASONS: readonly WaitReason[] = ['event', 'timer', 'children', 'resource', 'predecessor'];

function illegal(state: ProcessState, transition: string): AppError {
  return new AppError(ProcessErrors.KERNEL_ILLEGAL_TRANSITION, { state, transition });
}

/** Decides one transition. Throws AppError (409 illegal, 422 missing operator or wait reason). */
export function decideTransition(
  process: Pick<Process, keyof ProcessChange>,
  transition: string,
  input: TransitionInput,
  now: string,
): ProcessChange {
  if (!isTransitionName(transition)) {
    throw new AppError(ProcessErrors.KERNEL_UNKNOWN_TRANSITION, { transition });
  }
  const rule = TRANSITIONS[transition];
  const from = process.state;
  if (!rule.from.includes(from)) throw illegal(from, transition);
  const base: ProcessChange = {
    state: process.state,
    operatorId: process.operatorId,
    waitReason: process.waitReason,
    waitOn: process.waitOn,
    exitReason: process.exitReason,
    startedAt: process.startedAt,
    endedAt: process.endedAt,
    readySince: process.readySince,
  };
  const needOperator = (): string => {
    const op = input.operatorId ?? null;
    if (!op) throw new AppError(ProcessErrors.KERNEL_OPERATOR_REQUIRED, { transition });
    return op;
  };
  switch (transition) {
    case 'admit':
      return { ...base, state: 'READY', readySince: now };
    case 'wait': {
      if (!input.waitReason || !WAIT_REASONS.includes(input.waitReason)) {
        throw new AppError(ProcessErrors.KERNEL_WAIT_REASON_REQUIRED);
      }
      return {
        ...base,
        state: 'WAITING',
        waitReason: input.waitReason,
        waitOn: { ...(input.waitOn ?? {}), resume_to: from },
      };
    }
    case 'wake': {
      const back = process.waitOn?.resume_to === 'RUNNING' && process.operatorId ? 'RUNNING' : 'READY';
      return {
        ...base,
        state: back,
        waitReason: null,
        waitOn: null,
        readySince: back === 'READY' ? now : base.readySince,
      };
    }
    case 'assign':
      return { ...base, operatorId: needOperator() };
    case 'claim': {
      const op = needOperator();
      if (process.operatorId && process.operatorId !== op) {
        throw new AppError(ProcessErrors.KERNEL_PROCESS_TAKEN);
      }
      return { ...base, operatorId: op };
    }
    case 'release':
      return { ...base, operatorId: null };
    case 'start': {
      const op = input.operatorId ?? process.operatorId;
      if (!op) throw new AppError(ProcessErrors.KERNEL_OPERATOR_REQUIRED, { transition });
      return { ...base, state: 'RUNNING', operatorId: op, startedAt: process.startedAt ?? now };
    }
    case 'suspend':
      return { ...base, state: 'SUSPENDED' };
    case 'resume':
      return { ...base, state: 'RUNNING' };
    case 'handover':
      return { ...base, state: 'READY', operatorId: needOperator(), readySince: now };
    case 'complete':
    case 'fail':
    case 'cancel':
    case 'time_out':
      return {
        ...base,
        state: 'TERMINATED',
        exitReason: rule.exit ?? null,
        waitReason: null,
        waitOn: null,
        endedAt: now,
      };
  }
}
