import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '@tenon/core';
import { PROCESS_STATES, type Process, type ProcessState } from '../../types.ts';
import { decideTransition, TRANSITION_NAMES, type TransitionName } from '../transitions.ts';

const NOW = '2026-01-02T03:04:05.000Z';
const EARLIER = '2026-01-01T00:00:00.000Z';

/** The expected outcome of every pair, written out independently of the table under test. */
const EXPECTED: Record<ProcessState, Partial<Record<TransitionName, ProcessState>>> = {
  NEW: { admit: 'READY', cancel: 'TERMINATED', time_out: 'TERMINATED' },
  READY: {
    wait: 'WAITING',
    assign: 'READY',
    claim: 'READY',
    release: 'READY',
    start: 'RUNNING',
    handover: 'READY',
    cancel: 'TERMINATED',
    time_out: 'TERMINATED',
  },
  RUNNING: {
    wait: 'WAITING',
    suspend: 'SUSPENDED',
    handover: 'READY',
    complete: 'TERMINATED',
    fail: 'TERMINATED',
    cancel: 'TERMINATED',
    time_out: 'TERMINATED',
  },
  WAITING: { wake: 'READY', fail: 'TERMINATED', cancel: 'TERMINATED', time_out: 'TERMINATED' },
  SUSPENDED: { resume: 'RUNNING', handover: 'READY', cancel: 'TERMINATED', time_out: 'TERMINATED' },
  TERMINATED: {},
};

const EXIT: Partial<Record<TransitionName, string>> = {
  complete: 'done',
  fail: 'failed',
  cancel: 'cancelled',
  time_out: 'timed_out',
};

function pcb(
  state: ProcessState,
): Pick<
  Process,
  'state' | 'operatorId' | 'waitReason' | 'waitOn' | 'exitReason' | 'startedAt' | 'endedAt' | 'readySince'
> {
  return {
    state,
    operatorId: state === 'RUNNING' || state === 'SUSPENDED' ? 'u1' : null,
    waitReason: state === 'WAITING' ? 'event' : null,
    waitOn: state === 'WAITING' ? { topic: 'x', resume_to: 'READY' } : null,
    exitReason: state === 'TERMINATED' ? 'done' : null,
    startedAt: state === 'RUNNING' || state === 'SUSPENDED' ? EARLIER : null,
    endedAt: state === 'TERMINATED' ? EARLIER : null,
    readySince: state === 'NEW' ? null : EARLIER,
  };
}

const INPUT = { operatorId: 'u2', waitReason: 'timer' as const, waitOn: { timerId: 't1' } };

describe('process transition table', () => {
  for (const state of PROCESS_STATES) {
    for (const transition of TRANSITION_NAMES) {
      const expected = EXPECTED[state][transition];
      it(`${state} x ${transition} -> ${expected ?? 'refused'}`, () => {
        if (!expected) {
          assert.throws(
            () => decideTransition(pcb(state), transition, INPUT, NOW),
            (e: unknown) =>
              isAppError(e) &&
              e.code === 'KERNEL_ILLEGAL_TRANSITION' &&
              e.status === 409 &&
              e.message.includes(state) &&
              e.message.includes(transition) &&
              e.localizedMessage('zh-CN').includes(state),
          );
          return;
        }
        const next = decideTransition(pcb(state), transition, INPUT, NOW);
        assert.equal(next.state, expected);
        assert.equal(next.exitReason, EXIT[transition] ?? null);
        assert.equal(next.waitReason !== null, expected === 'WAITING');
        if (expected === 'RUNNING') assert.ok(next.operatorId);
        if (expected === 'TERMINATED') assert.equal(next.endedAt, NOW);
      });
    }
  }
});

describe('transition details', () => {
  it('wait remembers where to resume; wake goes back to RUNNING with its operator', () => {
    const running = { ...pcb('RUNNING') };
    const waiting = decideTransition(running, 'wait', { waitReason: 'resource' }, NOW);
    assert.deepEqual(waiting.waitOn, { resume_to: 'RUNNING' });
    const woken = decideTransition(waiting, 'wake', {}, NOW);
    assert.equal(woken.state, 'RUNNING');
    assert.equal(woken.operatorId, 'u1');
    assert.equal(woken.waitReason, null);
    assert.equal(woken.readySince, EARLIER);
  });

  it('wake of a READY waiter goes to READY and restarts the ready clock', () => {
    const woken = decideTransition(pcb('WAITING'), 'wake', {}, NOW);
    assert.equal(woken.state, 'READY');
    assert.equal(woken.readySince, NOW);
  });

  it('wait needs a known reason', () => {
    assert.throws(
      () => decideTransition(pcb('READY'), 'wait', {}, NOW),
      (e: unknown) => isAppError(e) && e.code === 'KERNEL_WAIT_REASON_REQUIRED',
    );
    assert.throws(
      () => decideTransition(pcb('READY'), 'wait', { waitReason: 'nap' as never }, NOW),
      (e: unknown) => isAppError(e) && e.code === 'KERNEL_WAIT_REASON_REQUIRED',
    );
  });

  it('start needs an operator; keeps the first start time', () => {
    assert.throws(
      () => decideTransition(pcb('READY'), 'start', {}, NOW),
      (e: unknown) => isAppError(e) && e.code === 'KERNEL_OPERATOR_REQUIRED' && e.status === 422,
    );
    const started = decideTransition(
      { ...pcb('READY'), startedAt: EARLIER },
      'start',
      { operatorId: 'u3' },
      NOW,
    );
    assert.equal(started.startedAt, EARLIER);
    assert.equal(started.operatorId, 'u3');
  });

  it('claim refuses a task assigned to someone else; release clears; handover sets the new operator', () => {
    const mine = decideTransition(pcb('READY'), 'claim', { operatorId: 'u1' }, NOW);
    assert.equal(mine.operatorId, 'u1');
    assert.equal(decideTransition(mine, 'claim', { operatorId: 'u1' }, NOW).operatorId, 'u1');
    assert.throws(
      () => decideTransition(mine, 'claim', { operatorId: 'u2' }, NOW),
      (e: unknown) => isAppError(e) && e.code === 'KERNEL_PROCESS_TAKEN',
    );
    assert.equal(decideTransition(mine, 'release', {}, NOW).operatorId, null);
    const handed = decideTransition(pcb('RUNNING'), 'handover', { operatorId: 'u9' }, NOW);
    assert.deepEqual([handed.state, handed.operatorId, handed.readySince], ['READY', 'u9', NOW]);
    assert.throws(
      () => decideTransition(pcb('SUSPENDED'), 'handover', {}, NOW),
      (e: unknown) => isAppError(e) && e.code === 'KERNEL_OPERATOR_REQUIRED',
    );
  });

  it('an unknown transition is a 400', () => {
    assert.throws(
      () => decideTransition(pcb('READY'), 'explode', {}, NOW),
      (e: unknown) => isAppError(e) && e.code === 'KERNEL_UNKNOWN_TRANSITION' && e.status === 400,
    );
    assert.throws(
      () => decideTransition(pcb('READY'), 'toString', {}, NOW),
      (e: unknown) => isAppError(e) && e.code === 'KERNEL_UNKNOWN_TRANSITION',
    );
  });
});
