import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '@tenon/core';
import { BUILTIN_RESOURCE_TYPES } from '../../definitions/resource-type.kind.ts';
import { label, type SchedulerHarness, schedulerHarness } from './harness.ts';

// The scenario through the API: a treatment needs a doctor, a laser device and a room for 60 minutes.
const WORKDAYS = {
  timeZone: 'Asia/Shanghai',
  weekly: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [
      d,
      [
        ['09:00', '12:00'],
        ['13:00', '18:00'],
      ],
    ]),
  ),
  closed: [],
};
const MON_10 = '2026-11-30T02:00:00.000Z';

describe('schedule API', () => {
  let h: SchedulerHarness;
  const ids: Record<string, string> = {};

  before(async () => {
    h = await schedulerHarness(fixedClock('2026-11-30T01:30:00Z'));
    for (const t of BUILTIN_RESOURCE_TYPES) await h.save('resource_type', { ...t });
    const types = await h.s.call('POST', '/api/v1/meta/objects/resource_type', {
      name: 'laser',
      label: label('Laser device', '激光仪'),
      category: 'device',
    });
    assert.equal(types.status, 201, JSON.stringify(types.body));
    const bad = await h.s.call('POST', '/api/v1/meta/objects/resource_type', {
      label: label('X'),
      category: 'planet',
    });
    assert.equal(bad.status, 422);
    const svc = await h.s.call('POST', '/api/v1/meta/objects/service', {
      name: 'treatment',
      label: label('Treatment', '治疗'),
      durationMinutes: 60,
      resources: [{ type: 'person', skills: ['doctor'] }, { type: 'laser' }, { type: 'room' }],
    });
    assert.equal(svc.status, 201, JSON.stringify(svc.body));
    ids.doctor = await h.resource({
      code: 'DR-ZHANG',
      name: '张医生',
      type: 'person',
      skills: ['doctor'],
      calendar: WORKDAYS,
    });
    ids.laser = await h.resource({ code: 'LASER-A', name: '激光仪 A', type: 'laser' });
    ids.room = await h.resource({ code: 'ROOM-101', name: '101 室', type: 'room', calendar: WORKDAYS });
  });
  after(() => h.s.close());

  it('books three; the conflicting slot is refused with a clear 409, also when sent at once', async () => {
    const book = (start: string) =>
      h.s.call('POST', '/api/v1/schedule/book', { service: 'treatment', start });
    // 10:00 first, then 10:30 (overlapping it) and 11:00 together. Sent all three at once, either
    // 10:30 or the other two may win on PostgreSQL: both are correct, only one is this test's.
    const first = await book(MON_10);
    const res = [
      first,
      ...(await Promise.all(['2026-11-30T02:30:00.000Z', '2026-11-30T03:00:00.000Z'].map(book))),
    ];
    assert.deepEqual(
      res.map((r) => r.status),
      [201, 409, 201],
    );
    assert.equal(res[0]!.body.data.allocations.length, 3);
    assert.equal(res[0]!.body.data.process.scheduledStart, MON_10);
    assert.equal(res[1]!.body.error.code, 'KERNEL_RESOURCE_CONFLICT');
    assert.match(res[1]!.body.message, /DR-ZHANG/);
    const en = await h.s.call(
      'POST',
      '/api/v1/schedule/book',
      { service: 'treatment', start: '2026-11-30T02:30:00.000Z' },
      { 'accept-language': 'en' },
    );
    assert.match(
      en.body.message,
      /Resource DR-ZHANG is taken from 2026-11-30T02:00:00.000Z to 2026-11-30T03:00:00.000Z/,
    );
  });

  it('refuses bad booking input with 4xx', async () => {
    assert.equal((await h.s.call('POST', '/api/v1/schedule/book', { service: 'treatment' })).status, 400);
    assert.equal(
      (await h.s.call('POST', '/api/v1/schedule/book', { service: 'treatment', start: 'soon' })).body.error
        .code,
      'KERNEL_BOOKING_INVALID',
    );
    assert.equal(
      (await h.s.call('POST', '/api/v1/schedule/book', { service: 'x', start: MON_10 })).body.error.code,
      'KERNEL_SERVICE_NOT_FOUND',
    );
    // 12:00 Shanghai is lunch for the doctor and the room.
    const lunch = await h.s.call('POST', '/api/v1/schedule/book', {
      service: 'treatment',
      start: '2026-11-30T04:00:00Z',
    });
    assert.equal(lunch.status, 409);
    assert.equal(lunch.body.error.code, 'KERNEL_OUTSIDE_CALENDAR');
  });

  it("shows a resource's schedule and the free slots of a type", async () => {
    const s = await h.s.call(
      'GET',
      `/api/v1/schedule/resources/${ids.doctor}?from=2026-11-30T00:00:00Z&to=2026-12-01T00:00:00Z`,
    );
    assert.equal(s.status, 200);
    assert.equal(s.body.data.resource.code, 'DR-ZHANG');
    assert.deepEqual(
      s.body.data.allocations.map((a: { startAt: string }) => a.startAt),
      [MON_10, '2026-11-30T03:00:00.000Z'],
    );
    assert.equal((await h.s.call('GET', '/api/v1/schedule/resources/nope')).status, 404);
    const free = await h.s.call(
      'GET',
      '/api/v1/schedule/free?type=room&from=2026-11-30T01:00:00Z&to=2026-11-30T10:00:00Z&minutes=60',
    );
    assert.equal(free.status, 200);
    // 09:00-10:00 before the bookings, then 13:00-18:00 after lunch (Shanghai).
    assert.deepEqual(
      free.body.data.items.map((x: { start: string; end: string }) => [x.start, x.end]),
      [
        ['2026-11-30T01:00:00.000Z', '2026-11-30T02:00:00.000Z'],
        ['2026-11-30T05:00:00.000Z', '2026-11-30T10:00:00.000Z'],
      ],
    );
    const badQuery = await h.s.call('GET', '/api/v1/schedule/free?type=room&from=x&to=y');
    assert.equal(badQuery.status, 400);
    assert.equal(badQuery.body.error.code, 'KERNEL_SCHEDULE_QUERY_INVALID');
  });

  it('runs a dispatch round (admin only) and explains a process', async () => {
    const created = await h.s.call('POST', '/api/v1/processes', { service: 'treatment' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const pid = created.body.data.pid as string;
    const why = await h.s.call('GET', `/api/v1/processes/${pid}/why`);
    assert.equal(why.status, 200);
    // Nobody in this tenant has the doctor's skill... the admin has no role needed, but the doctor is booked now.
    assert.equal(why.body.data.dispatchable, false);
    assert.equal(why.body.data.code, 'resource_busy');
    assert.match(why.body.data.reason, /person with skills doctor busy until 2026-11-30T03:00:00.000Z/);
    const nurse = await h.s.userWith({ username: 'nurse', roles: [] });
    assert.equal((await h.s.callAs(nurse, 'POST', '/api/v1/schedule/dispatch')).status, 403);
    const round = await h.s.call('POST', '/api/v1/schedule/dispatch');
    assert.equal(round.status, 200);
    assert.equal(round.body.data.assigned.length, 0);
    assert.equal(round.body.data.waiting[0].pid, pid);
  });
});
