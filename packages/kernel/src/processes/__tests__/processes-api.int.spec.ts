/**
 * The processes and tasks API through HTTP: envelope, permissions ($process read/create/update/admin,
 * own tasks only, claims by role and skills), 409 illegal transitions, 412 If-Match, 422 form errors,
 * task lists, and an operator switching context (suspend one task, start another, resume the first).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '@tenon/core';
import { label, type ProcessHarness, processHarness } from './harness.ts';

type P = {
  pid: string;
  state: string;
  operatorId: string | null;
  version: number;
  exitReason: string | null;
};

describe('processes API', () => {
  let h: ProcessHarness;
  let nurse: string;
  let nurseId: string;
  let other: string;
  let otherId: string;
  let clerk: string;
  let reader: string;

  const as = async (
    token: string,
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => h.s.callAs(token, method, url, body, headers);
  const create = async (body: Record<string, unknown>) => {
    const res = await h.s.call('POST', '/api/v1/processes', body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.data as P;
  };
  const idOf = async (token: string) =>
    ((await as(token, 'GET', '/api/v1/auth/me')).body.data as { user: { id: string } }).user.id;

  before(async () => {
    h = await processHarness(fixedClock('2026-04-01T09:00:00.000Z'));
    await h.s.define([
      {
        name: 'patient',
        label: label('Patient'),
        fields: [{ name: 'full_name', label: label('Name'), kind: 'string' }],
      },
    ]);
    await h.saveService({
      name: 'call',
      label: label('Call', '回访'),
      role: 'nurse',
      skills: ['phone'],
      slaMinutes: 30,
    });
    await h.saveService({
      name: 'dress',
      label: label('Dressing', '换药'),
      role: 'nurse',
      bindsTo: 'patient',
      priority: 80,
    });
    await h.saveService({
      name: 'check',
      label: label('Check'),
      form: [{ name: 'temp', label: label('Temperature'), kind: 'decimal', required: true }],
    });
    const perms = (actions: string[]) => ({
      label: label('r'),
      permissions: [
        { entity: '$process', actions },
        { entity: 'patient', actions: ['read'] },
      ],
    });
    for (const [name, actions] of [
      ['nurse', ['read', 'update']],
      ['clerk', ['read', 'create', 'update']],
      ['viewer', ['read']],
    ] as const) {
      const res = await h.s.call('PUT', `/api/v1/security/roles/${name}`, perms([...actions]));
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    nurse = await h.s.userWith({ username: 'nurse1', roles: ['nurse'], attributes: { skills: ['phone'] } });
    other = await h.s.userWith({ username: 'nurse2', roles: ['nurse'], attributes: { skills: [] } });
    clerk = await h.s.userWith({ username: 'clerk1', roles: ['clerk'] });
    reader = await h.s.userWith({ username: 'viewer1', roles: ['viewer'] });
    nurseId = await idOf(nurse);
    otherId = await idOf(other);
  });
  after(() => h.s.close());

  it('creates with 201 and the envelope; bad input is a coded 4xx', async () => {
    const p = await create({ service: 'call', context: { phone: '138' } });
    assert.equal(p.state, 'READY');
    const bad = await h.s.call('POST', '/api/v1/processes', { service: 'nope' });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, 422);
    assert.equal((bad.body as { error: { code: string } }).error.code, 'KERNEL_SERVICE_NOT_FOUND');
    assert.equal(
      (await h.s.call('POST', '/api/v1/processes', { service: 'call', priority: '5' })).status,
      400,
    );
    assert.equal((await h.s.call('POST', '/api/v1/processes', [1])).status, 400);
    assert.equal((await as(reader, 'POST', '/api/v1/processes', { service: 'call' })).status, 403);
    assert.equal((await as(clerk, 'POST', '/api/v1/processes', { service: 'call' })).status, 201);
  });

  it('claims only with the role and skills; others cannot work on my task', async () => {
    const p = await create({ service: 'call' });
    const refused = await as(other, 'POST', `/api/v1/processes/${p.pid}/claim`);
    assert.equal(refused.status, 403);
    assert.equal((refused.body as { error: { code: string } }).error.code, 'KERNEL_TASK_NOT_ELIGIBLE');
    assert.equal((await as(clerk, 'POST', `/api/v1/processes/${p.pid}/claim`)).status, 403);
    const claimed = await as(nurse, 'POST', `/api/v1/processes/${p.pid}/claim`);
    assert.equal(claimed.status, 200);
    assert.equal((claimed.body.data as P).operatorId, nurseId);
    assert.equal((await as(other, 'POST', `/api/v1/processes/${p.pid}/start`)).status, 403);
    assert.equal((await as(reader, 'POST', `/api/v1/processes/${p.pid}/start`)).status, 403);
    const illegal = await as(nurse, 'POST', `/api/v1/processes/${p.pid}/resume`);
    assert.equal(illegal.status, 409);
    assert.equal((illegal.body as { error: { code: string } }).error.code, 'KERNEL_ILLEGAL_TRANSITION');
    const stale = await as(nurse, 'POST', `/api/v1/processes/${p.pid}/start`, {}, { 'if-match': '"1"' });
    assert.equal(stale.status, 412);
    const started = await as(
      nurse,
      'POST',
      `/api/v1/processes/${p.pid}/start`,
      {},
      { 'if-match': `"${(claimed.body.data as P).version}"` },
    );
    assert.equal(started.status, 200);
    assert.equal(started.headers.etag, `"${(started.body.data as P).version}"`);
    // An admin may do anything, e.g. hand a running task over to another nurse.
    const handed = await h.s.call('POST', `/api/v1/processes/${p.pid}/handover`, { operatorId: otherId });
    assert.deepEqual([(handed.body.data as P).state, (handed.body.data as P).operatorId], ['READY', otherId]);
    assert.equal((await as(nurse, 'POST', `/api/v1/processes/${p.pid}/explode`)).status, 400);
  });

  it('completes with the form: 422 with field details, then stored', async () => {
    const p = await create({ service: 'check' });
    await as(nurse, 'POST', `/api/v1/processes/${p.pid}/start`);
    const wrong = await as(nurse, 'POST', `/api/v1/processes/${p.pid}/complete`, { data: { temp: 37.5 } });
    assert.equal(wrong.status, 422);
    assert.deepEqual(
      (wrong.body as { error: { details: { field: string }[] } }).error.details.map((d) => d.field),
      ['temp'],
      JSON.stringify(wrong.body),
    );
    const done = await as(nurse, 'POST', `/api/v1/processes/${p.pid}/complete`, { data: { temp: '37.5' } });
    assert.equal(done.status, 200);
    const read = await h.s.call('GET', `/api/v1/processes/${p.pid}`);
    const body = read.body.data as P & {
      context: { form: unknown };
      history: { transition: string; actorName: string }[];
    };
    assert.deepEqual(body.context.form, { temp: '37.5' });
    assert.deepEqual(
      body.history.map((e) => e.transition),
      ['create', 'admit', 'start', 'complete'],
    );
    assert.equal(body.history[2]!.actorName.startsWith('nurse1'), true);
  });

  it('lists with filters and paging; 404 for unknown pids', async () => {
    const res = await h.s.call('GET', '/api/v1/processes?service=call&pageSize=2&page=1');
    const data = res.body.data as { items: P[]; total: number; pageSize: number };
    assert.equal(data.items.length, 2);
    assert.ok(data.total >= 3);
    assert.equal((await h.s.call('GET', '/api/v1/processes?state=DONE')).status, 400);
    assert.equal((await h.s.call('GET', '/api/v1/processes?recordId=x')).status, 400);
    assert.equal(
      (await h.s.call('GET', '/api/v1/processes/0190a0a0-0000-7000-8000-000000000000')).status,
      404,
    );
    assert.equal((await h.s.call('GET', '/api/v1/processes/nope')).status, 404);
    assert.equal((await as(reader, 'GET', '/api/v1/processes')).status, 200);
  });

  it('an operator suspends one task, starts another, resumes the first; task lists follow', async () => {
    const patient = (await h.s.call('POST', '/api/v1/patient', { full_name: '张三' })).body.data as {
      id: string;
    };
    const first = await create({ service: 'call' });
    const second = await create({ service: 'dress', recordId: patient.id });
    const list = async (token: string, name: string) =>
      (
        (await as(token, 'GET', `/api/v1/tasks?list=${name}`)).body.data as {
          items: (P & { recordTitle: string | null; serviceLabel: string })[];
        }
      ).items;

    const available = await list(nurse, 'available');
    assert.ok(available.some((t) => t.pid === first.pid));
    const dress = available.find((t) => t.pid === second.pid);
    assert.equal(dress?.recordTitle, '张三');
    assert.equal(dress?.serviceLabel, '换药');
    assert.ok(!(await list(other, 'available')).some((t) => t.pid === first.pid), 'skills are required');
    assert.ok((await list(other, 'available')).some((t) => t.pid === second.pid));

    const step = async (pid: string, t: string) => {
      const res = await as(nurse, 'POST', `/api/v1/processes/${pid}/${t}`);
      assert.equal(res.status, 200, `${t}: ${JSON.stringify(res.body)}`);
      return res.body.data as P;
    };
    await step(first.pid, 'start');
    assert.equal((await step(first.pid, 'suspend')).state, 'SUSPENDED');
    assert.deepEqual(
      (await list(nurse, 'suspended')).map((t) => t.pid),
      [first.pid],
    );
    await step(second.pid, 'start');
    assert.ok((await list(nurse, 'mine')).some((t) => t.pid === second.pid && t.state === 'RUNNING'));
    assert.equal((await step(second.pid, 'suspend')).state, 'SUSPENDED');
    assert.equal((await step(first.pid, 'resume')).state, 'RUNNING');
    assert.equal((await step(first.pid, 'complete')).exitReason, 'done');
    assert.deepEqual(
      (await list(nurse, 'suspended')).map((t) => t.pid),
      [second.pid],
    );
    assert.equal((await as(nurse, 'GET', '/api/v1/tasks?list=all')).status, 400);
  });
});
