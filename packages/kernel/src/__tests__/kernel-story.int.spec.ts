/**
 * The kernel as a user meets it, through the API of a server whose kernel runs (dispatcher, live bus,
 * timers): a treatment service needing a doctor, a laser device and a room for 60 minutes; three
 * bookings at once, the conflicting one refused; the doctor's tasks arrive by dispatch, and a second
 * client watches the doctor suspend one treatment, start another and resume the first over SSE; a rule
 * saved through the designer's API creates a follow-up call 7 days after each treatment ends, shown by
 * moving the injected clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PLATFORM_SCHEMA, sql } from '@tenon/db';
import { createTestServer, type JsonBody, type TestServer } from '@tenon/server/testing';

const label = (en: string, zh: string) => ({ 'zh-CN': zh, en });
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
// Monday 2026-11-30, 10:00 and 11:30 in Shanghai.
const SLOT_A = '2026-11-30T02:00:00.000Z';
const SLOT_B = '2026-11-30T03:30:00.000Z';
const CLASH = '2026-11-30T02:30:00.000Z';

type LiveMessage = { event: string; data: { topic: string; payload: Record<string, unknown> } };

/** A Server-Sent Events client collecting what it receives. */
function watch(url: string) {
  const controller = new AbortController();
  const events: LiveMessage[] = [];
  const ready = fetch(url, { signal: controller.signal }).then(async (res) => {
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    })().catch(() => {});
  });
  return { events, ready, close: () => controller.abort() };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the kernel, as a user meets it through the API', () => {
  let s: TestServer;
  let base: string;
  let now = Date.parse('2026-11-30T01:00:00.000Z');
  const clock = { now: () => new Date(now) };
  let doctor: string;
  let patient: JsonBody;
  const booked: string[] = [];

  const ok = (res: { status: number; body: JsonBody }, status = 200) => {
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body.data;
  };

  before(async () => {
    s = await createTestServer({ clock, startKernel: { pollMs: 25 } });
    base = await s.app.listen({ port: 0, host: '127.0.0.1' });
    await s.define([
      {
        name: 'patient',
        label: label('Patient', '患者'),
        fields: [{ name: 'full_name', label: label('Name', '姓名'), kind: 'string', required: true }],
      },
    ]);
    ok(
      await s.call('PUT', '/api/v1/security/roles/doctor', {
        label: label('Doctor', '医生'),
        permissions: [
          { entity: '$process', actions: ['read', 'update'] },
          { entity: 'patient', actions: ['read'] },
        ],
      }),
    );
    doctor = await s.userWith({ username: 'dr_zhang', roles: ['doctor'] });
    const user = await s.db.run<{ id: string }>(
      sql`SELECT id::text AS id FROM ${sql.id(PLATFORM_SCHEMA, 'user')} WHERE username = ${`dr_zhang@${s.tenant.name}`}`,
    );
    patient = ok(await s.call('POST', '/api/v1/patient', { full_name: '王芳' }), 201);

    // The built-in resource types come with the kernel; a laser device is a new type of the device category.
    const types = ok(await s.call('GET', '/api/v1/meta/objects/resource_type'));
    assert.ok(types.items.some((t: JsonBody) => t.name === 'room'));
    ok(
      await s.call('POST', '/api/v1/meta/objects/resource_type', {
        name: 'laser',
        label: label('Laser device', '激光仪'),
        category: 'device',
      }),
      201,
    );
    ok(
      await s.call('POST', '/api/v1/meta/objects/service', {
        name: 'treatment',
        label: label('Treatment', '治疗'),
        bindsTo: 'patient',
        role: 'doctor',
        durationMinutes: 60,
        resources: [{ type: 'person', skills: ['doctor'] }, { type: 'laser' }, { type: 'room' }],
      }),
      201,
    );
    ok(
      await s.call('POST', '/api/v1/meta/objects/service', {
        name: 'follow_up_call',
        label: label('Follow-up call', '回访电话'),
        bindsTo: 'patient',
        role: 'doctor',
      }),
      201,
    );
    const hours = [['09:00', '18:00']];
    const workdays = { timeZone: 'Asia/Shanghai', weekly: { mon: hours, tue: hours } };
    for (const r of [
      { code: 'DR-ZHANG', name: '张医生', type: 'person', skills: ['doctor'], user: user.rows[0]!.id },
      { code: 'LASER-A', name: '激光仪 A', type: 'laser' },
      { code: 'ROOM-101', name: '101 室', type: 'room', calendar: workdays },
    ]) {
      ok(await s.call('POST', '/api/v1/resource', r), 201);
    }
  });
  after(() => s.close());

  it('books three treatments at once and refuses the conflicting slot', async () => {
    const results = await Promise.all(
      [SLOT_A, CLASH, SLOT_B].map((start) =>
        s.call('POST', '/api/v1/schedule/book', {
          service: 'treatment',
          start,
          entity: 'patient',
          recordId: patient.id,
        }),
      ),
    );
    // SLOT_A and CLASH overlap: whichever books first wins (on PostgreSQL they race), the other is refused.
    const statuses = results.map((r) => r.status);
    assert.deepEqual([...statuses.slice(0, 2)].sort(), [201, 409], JSON.stringify(statuses));
    assert.equal(statuses[2], 201);
    const refused = results.find((r) => r.status === 409)!;
    assert.equal(refused.body.error.code, 'KERNEL_RESOURCE_CONFLICT');
    for (const r of results.filter((x) => x.status === 201)) {
      assert.equal(r.body.data.allocations.length, 3);
      booked.push(r.body.data.process.pid);
    }
  });

  it("a rule is saved through the designer's API (a wrong condition is refused with 422)", async () => {
    const bad = await s.call('POST', '/api/v1/meta/objects/rule', {
      name: 'broken',
      label: label('Broken', '错误'),
      event: { topic: 'process.state_changed', service: 'treatment' },
      condition: 'process.exitReason ==',
      instructions: [],
    });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    ok(
      await s.call('POST', '/api/v1/meta/objects/rule', {
        name: 'follow_up_after_treatment',
        label: label('Follow-up 7 days after a treatment', '治疗结束 7 天后回访'),
        event: { topic: 'process.state_changed', service: 'treatment', state: 'TERMINATED' },
        condition: "process.exitReason == 'done'",
        instructions: [
          {
            do: 'schedule_timer',
            afterDays: 7,
            run: [
              {
                do: 'create_process',
                service: 'follow_up_call',
                bind: 'event',
                context: { treatment: 'event.payload.sourcePid', patient: 'record.full_name' },
              },
            ],
          },
        ],
      }),
      201,
    );
  });

  it('dispatches the booked treatments to the doctor; a second client sees suspend, start, resume live', async () => {
    const watcher = watch(`${base}/api/v1/live?access_token=${encodeURIComponent(s.adminToken)}`);
    await watcher.ready;
    const as = (method: 'GET' | 'POST', url: string) => s.callAs(doctor, method, url);

    // Before its start a booked treatment is not anyone's task; when the time comes a round assigns it.
    assert.deepEqual(ok(await as('GET', '/api/v1/tasks?list=mine')).items, []);
    now = Date.parse(SLOT_B) + MINUTE;
    // Access tokens last 15 minutes of the server's clock.
    doctor = await s.signInAs('dr_zhang');
    ok(await s.callAs(await s.signInAs('admin'), 'POST', '/api/v1/schedule/dispatch'));
    const mine = ok(await as('GET', '/api/v1/tasks?list=mine'));
    assert.deepEqual(mine.items.map((t: JsonBody) => t.pid).sort(), [...booked].sort());

    const [first, second] = booked as [string, string];
    for (const [pid, t] of [
      [first, 'start'],
      [first, 'suspend'],
      [second, 'start'],
      [second, 'complete'],
      [first, 'resume'],
      [first, 'complete'],
    ] as const) {
      ok(await as('POST', `/api/v1/processes/${pid}/${t}`));
    }
    const suspended = ok(await as('GET', '/api/v1/tasks?list=suspended'));
    assert.deepEqual(suspended.items, []);

    const moves = () =>
      watcher.events
        .filter(
          (e) => e.data.topic === 'process.state_changed' && booked.includes(String(e.data.payload.pid)),
        )
        .map((e) => `${e.data.payload.pid === first ? 'first' : 'second'}:${e.data.payload.transition}`)
        .filter((m) => !m.endsWith(':assign') && !m.endsWith(':admit'));
    const expected = [
      'first:start',
      'first:suspend',
      'second:start',
      'second:complete',
      'first:resume',
      'first:complete',
    ];
    await until('the live moves', async () => moves().length >= expected.length);
    assert.deepEqual(moves(), expected);
    watcher.close();
  });

  it('creates a follow-up call for each treatment 7 days after it ended (injected clock)', async () => {
    const calls = async () =>
      ok(await s.callAs(await s.signInAs('admin'), 'GET', '/api/v1/processes?service=follow_up_call'))
        .items as JsonBody[];
    // The rule ran when the treatments ended: two timers wait, nothing is created yet.
    await until('the timers', async () => {
      const t = await s.db.run<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM ${sql.id(s.tenant.schemaName, '_timer')} WHERE fired_at IS NULL`,
      );
      return t.rows[0]!.n === 2;
    });
    now += 6 * DAY;
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await calls(), []);

    now += DAY + MINUTE;
    const created = await until('the follow-up calls', async () => {
      const items = await calls();
      return items.length === 2 ? items : null;
    });
    for (const call of created) {
      assert.equal(call.entity, 'patient');
      assert.equal(call.recordId, patient.id);
      assert.equal(call.context.patient, '王芳');
      assert.ok(booked.includes(call.context.treatment));
    }
    assert.deepEqual(created.map((c) => c.context.treatment).sort(), [...booked].sort());
  });
});
