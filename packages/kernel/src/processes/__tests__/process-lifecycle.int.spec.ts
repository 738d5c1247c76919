/**
 * Creating and moving processes against a real database: admission, history and outbox per transition,
 * illegal transitions writing nothing, forms, parent/child, cascades, chains and sub-services.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock, isAppError } from '@tenon/core';
import { SYSTEM_ACTOR } from '@tenon/design';
import type { KernelEnv } from '../../env.ts';
import { createProcess } from '../../services/create-process.service.ts';
import { type TransitionProcessInput, transitionProcess } from '../../services/transition-process.service.ts';
import type { Process } from '../../types.ts';
import { getProcess, listChildren } from '../process.repository.ts';
import { label, type ProcessHarness, processHarness } from './harness.ts';

const rejects = (code: string, status?: number) => (e: unknown) =>
  isAppError(e) && e.code === code && (status === undefined || e.status === status);

describe('process lifecycle', () => {
  let h: ProcessHarness;
  let env: KernelEnv;
  const clock = fixedClock('2026-03-01T08:00:00.000Z');
  const create = (input: Parameters<typeof createProcess>[2]) =>
    h.s.db.transaction((tx) => createProcess(tx, env, input));
  const move = (input: TransitionProcessInput) =>
    h.s.db.transaction((tx) => transitionProcess(tx, env, input));
  const get = async (pid: string) => (await getProcess(h.s.db, h.s.tenant.schemaName, pid)) as Process;

  before(async () => {
    h = await processHarness(clock);
    await h.s.define([
      {
        name: 'patient',
        label: label('Patient'),
        fields: [{ name: 'title', label: label('Title'), kind: 'string' }],
      },
    ]);
    await h.saveService({
      label: label('Call', '回访电话'),
      role: 'nurse',
      skills: ['phone'],
      slaMinutes: 90,
    });
    await h.saveService({
      name: 'treatment',
      label: label('Treatment'),
      bindsTo: 'patient',
      priority: 70,
      form: [
        { name: 'dose', label: label('Dose'), kind: 'decimal', required: true },
        {
          name: 'outcome',
          label: label('Outcome'),
          kind: 'select',
          options: [{ value: 'ok', label: label('OK') }],
        },
      ],
    });
    await h.saveService({ name: 'prep', label: label('Prep') });
    await h.saveService({ name: 'clean', label: label('Clean') });
    await h.saveService({
      name: 'visit',
      label: label('Visit'),
      steps: { mode: 'sequence', services: ['prep', 'clean'] },
    });
    await h.saveService({
      name: 'round',
      label: label('Round'),
      steps: { mode: 'parallel', services: ['prep', 'clean'] },
    });
    env = await h.env();
  });
  after(() => h.s.close());

  it('derives a service name from its Chinese label and admits a new process to READY', async () => {
    assert.ok(env.definitions.services.has('hui_fang_dian_hua'));
    const [p, events] = await h.s.db.transaction(async (tx) => {
      const made = await createProcess(tx, env, { service: 'hui_fang_dian_hua', context: { phone: '123' } });
      return [made, await h.eventsInTx(tx, made.pid)] as const;
    });
    assert.equal(events, 2);
    assert.equal(p.state, 'READY');
    assert.equal(p.role, 'nurse');
    assert.deepEqual(p.skills, ['phone']);
    assert.equal(p.dueAt, '2026-03-01T09:30:00.000Z');
    assert.equal(p.priority, 50);
    assert.equal(await h.history(p.pid), 2);
  });

  it('keeps a process with a future scheduled start NEW', async () => {
    const p = await create({ service: 'prep', scheduledStart: '2026-03-02T08:00:00+08:00' });
    assert.equal(p.state, 'NEW');
    assert.equal(p.scheduledStart, '2026-03-02T00:00:00.000Z');
  });

  it('refuses bad input with coded errors and writes nothing', async () => {
    await assert.rejects(create({ service: 'nope' }), rejects('KERNEL_SERVICE_NOT_FOUND', 422));
    await assert.rejects(create({ service: 'prep', priority: 101 }), rejects('KERNEL_PROCESS_INPUT_INVALID'));
    await assert.rejects(
      create({ service: 'treatment', entity: 'other' }),
      rejects('KERNEL_PROCESS_INPUT_INVALID'),
    );
    await assert.rejects(create({ service: 'prep', recordId: 'x' }), rejects('KERNEL_PROCESS_INPUT_INVALID'));
    await assert.rejects(
      create({ service: 'prep', dueAt: '2026-03-01 08:00' }),
      rejects('KERNEL_PROCESS_INPUT_INVALID'),
    );
  });

  it('runs claim -> start -> suspend -> resume -> complete with history and events; illegal moves write nothing', async () => {
    const p = await create({ service: 'prep' });
    await assert.rejects(
      move({ pid: p.pid, transition: 'complete' }),
      rejects('KERNEL_ILLEGAL_TRANSITION', 409),
    );
    await assert.rejects(move({ pid: p.pid, transition: 'start' }), rejects('KERNEL_OPERATOR_REQUIRED', 422));
    await move({ pid: p.pid, transition: 'claim', operatorId: 'u1' });
    await assert.rejects(
      move({ pid: p.pid, transition: 'claim', operatorId: 'u2' }),
      rejects('KERNEL_PROCESS_TAKEN'),
    );
    await assert.rejects(
      move({ pid: p.pid, transition: 'start', expectedVersion: 1 }),
      rejects('VERSION_CONFLICT', 412),
    );
    for (const transition of ['start', 'suspend', 'resume', 'complete'])
      await move({ pid: p.pid, transition });
    const done = await get(p.pid);
    assert.deepEqual([done.state, done.exitReason, done.operatorId], ['TERMINATED', 'done', 'u1']);
    assert.equal(done.version, 7);
    assert.equal(await h.history(p.pid), 7);
    await assert.rejects(move({ pid: p.pid, transition: 'cancel' }), rejects('KERNEL_ILLEGAL_TRANSITION'));
    assert.equal(await h.history(p.pid), 7);
    await assert.rejects(
      move({ pid: '0190a0a0-0000-7000-8000-000000000000', transition: 'cancel' }),
      rejects('KERNEL_PROCESS_NOT_FOUND', 404),
    );
  });

  it('validates the service form on completion (422 with field details) and stores it', async () => {
    const patient = (await h.s.call('POST', '/api/v1/patient', { title: 'A' })).body.data as { id: string };
    const p = await create({ service: 'treatment', recordId: patient.id });
    assert.deepEqual([p.entity, p.priority], ['patient', 70]);
    await move({ pid: p.pid, transition: 'start', operatorId: 'doc' });
    await assert.rejects(
      move({ pid: p.pid, transition: 'complete', data: { dose: 1.5, outcome: 'bad', extra: 1 } }),
      (e: unknown) =>
        isAppError(e) &&
        e.status === 422 &&
        e.details
          .map((d) => `${d.field}:${d.code}`)
          .sort()
          .join() === 'dose:type,extra:unknown,outcome:option',
    );
    assert.equal((await get(p.pid)).state, 'RUNNING');
    await move({ pid: p.pid, transition: 'complete', data: { dose: '1.50', outcome: 'ok' } });
    assert.deepEqual((await get(p.pid)).context.form, { dose: '1.50', outcome: 'ok' });
  });

  it('a parent completes only after its children; cascade cancel ends the subtree children first', async () => {
    const parent = await create({ service: 'prep' });
    const child = await create({ service: 'clean', parentId: parent.pid });
    const grandchild = await create({ service: 'clean', parentId: child.pid });
    await move({ pid: parent.pid, transition: 'start', operatorId: 'u1' });
    await assert.rejects(
      move({ pid: parent.pid, transition: 'complete' }),
      rejects('KERNEL_CHILDREN_RUNNING', 409),
    );
    await assert.rejects(move({ pid: parent.pid, transition: 'cancel' }), rejects('KERNEL_CHILDREN_RUNNING'));
    await move({ pid: parent.pid, transition: 'cancel', cascade: true });
    const ended = await Promise.all([parent, child, grandchild].map((p) => get(p.pid)));
    assert.deepEqual(
      ended.map((p) => p.exitReason),
      ['cancelled', 'cancelled', 'cancelled'],
    );
    assert.ok(ended[2]!.endedAt! <= ended[1]!.endedAt! && ended[1]!.endedAt! <= ended[0]!.endedAt!);
  });

  it('a chain: done wakes the successor, a failure cancels the rest', async () => {
    const a = await create({ service: 'prep' });
    const b = await create({ service: 'prep', predecessorId: a.pid });
    const c = await create({ service: 'prep', predecessorId: b.pid });
    assert.deepEqual([b.state, b.waitReason], ['WAITING', 'predecessor']);
    await move({ pid: a.pid, transition: 'start', operatorId: 'u1' });
    await move({ pid: a.pid, transition: 'complete' });
    assert.equal((await get(b.pid)).state, 'READY');
    assert.equal((await get(c.pid)).state, 'WAITING');
    await move({ pid: b.pid, transition: 'start', operatorId: 'u1' });
    await move({ pid: b.pid, transition: 'fail', reason: 'broken' });
    assert.deepEqual([(await get(c.pid)).state, (await get(c.pid)).exitReason], ['TERMINATED', 'cancelled']);
  });

  it('sub-services in sequence: start spawns a chain, the parent waits and wakes RUNNING when they end', async () => {
    const visit = await create({ service: 'visit' });
    const started = await move({ pid: visit.pid, transition: 'start', operatorId: 'u1' });
    assert.deepEqual([started.state, started.waitReason], ['WAITING', 'children']);
    const [prep, clean] = await listChildren(h.s.db, h.s.tenant.schemaName, visit.pid);
    assert.deepEqual(
      [prep!.service, prep!.state, clean!.service, clean!.state],
      ['prep', 'READY', 'clean', 'WAITING'],
    );
    assert.equal(clean!.predecessorId, prep!.pid);
    for (const pid of [prep!.pid, clean!.pid]) {
      await move({ pid, transition: 'start', operatorId: 'u2' });
      await move({ pid, transition: 'complete' });
    }
    const woken = await get(visit.pid);
    assert.deepEqual([woken.state, woken.operatorId], ['RUNNING', 'u1']);
    await move({ pid: visit.pid, transition: 'complete' });
  });

  it('sub-services in parallel are all READY; a timed-out parent cancels them', async () => {
    const round = await create({ service: 'round' });
    await move({ pid: round.pid, transition: 'start', operatorId: 'u1' });
    const kids = await listChildren(h.s.db, h.s.tenant.schemaName, round.pid);
    assert.deepEqual(
      kids.map((k) => k.state),
      ['READY', 'READY'],
    );
    await h.s.db.transaction((tx) =>
      transitionProcess(tx, { ...env, actor: SYSTEM_ACTOR }, { pid: round.pid, transition: 'time_out' }),
    );
    const after = await listChildren(h.s.db, h.s.tenant.schemaName, round.pid);
    assert.deepEqual(
      after.map((k) => k.exitReason),
      ['cancelled', 'cancelled'],
    );
    assert.equal((await get(round.pid)).exitReason, 'timed_out');
  });
});
