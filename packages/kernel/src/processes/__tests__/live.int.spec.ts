/**
 * Live task updates over Server-Sent Events through a real socket: the outbox dispatcher consumes
 * process events, the live bus fans them out, and a second client sees each of an operator's moves
 * (suspend one task, start another, resume the first). Tokens by header or `?access_token=`; events
 * filtered to whom they concern.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '@tenon/core';
import { LiveBus } from '../../events/live-bus.ts';
import { OutboxDispatcher } from '../../events/outbox-dispatcher.ts';
import { label, type ProcessHarness, processHarness } from './harness.ts';

type Received = { event: string; data: { topic: string; payload: Record<string, unknown> } };

/** An SSE client: collects events until closed. */
function connect(base: string, query: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const events: Received[] = [];
  let status = 0;
  const ready = fetch(`${base}/api/v1/live${query}`, { headers, signal: controller.signal }).then(
    async (res) => {
      status = res.status;
      if (!res.ok || !res.body) return;
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      const pump = async (): Promise<void> => {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          end = buffer.indexOf('\n\n');
        }
        return pump();
      };
      pump().catch(() => {});
    },
  );
  return {
    events,
    status: () => status,
    ready,
    close: () => controller.abort(),
    async waitFor(pred: (e: Received[]) => boolean, ms = 5000) {
      const until = Date.now() + ms;
      while (!pred(events)) {
        if (Date.now() > until)
          throw new Error(`timed out; got ${JSON.stringify(events.map((e) => e.data.payload))}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

describe('live task updates over SSE', () => {
  let h: ProcessHarness;
  let base: string;
  let bus: LiveBus;
  let dispatcher: OutboxDispatcher;
  let nurse: string;
  let stranger: string;

  before(async () => {
    h = await processHarness(systemClock);
    await h.saveService({ name: 'call', label: label('Call'), role: 'nurse' });
    await h.saveService({ name: 'audit', label: label('Audit'), role: 'auditor' });
    const role = {
      label: label('Nurse'),
      permissions: [{ entity: '$process', actions: ['read', 'update'] }],
    };
    await h.s.call('PUT', '/api/v1/security/roles/nurse', role);
    await h.s.call('PUT', '/api/v1/security/roles/guest', { ...role, label: label('Guest') });
    nurse = await h.s.userWith({ username: 'live_nurse', roles: ['nurse'] });
    stranger = await h.s.userWith({ username: 'live_guest', roles: ['guest'] });
    bus = new LiveBus(h.s.db);
    await bus.start();
    h.s.deps.kernel.live = bus;
    dispatcher = new OutboxDispatcher({
      db: h.s.db,
      clock: systemClock,
      tenants: async () => [h.s.tenant],
      pollMs: 50,
    });
    await dispatcher.start();
    base = await h.s.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await dispatcher.stop();
    await bus.stop();
    await h.s.close();
  });

  it('refuses a stream without a valid token', async () => {
    const none = await fetch(`${base}/api/v1/live`);
    assert.equal(none.status, 401);
    const bad = await fetch(`${base}/api/v1/live?access_token=nope`);
    assert.equal(bad.status, 401);
  });

  it('a second client sees suspend, start and resume live; others see only what concerns them', async () => {
    const watcher = connect(base, `?access_token=${encodeURIComponent(nurse)}`);
    const admin = connect(base, '', { authorization: `Bearer ${h.s.adminToken}` });
    const guest = connect(base, `?access_token=${encodeURIComponent(stranger)}`);
    await Promise.all([watcher.ready, admin.ready, guest.ready]);
    assert.deepEqual([watcher.status(), admin.status(), guest.status()], [200, 200, 200]);
    while (bus.size() < 3) await new Promise((r) => setTimeout(r, 10));

    const make = async (service: string) =>
      ((await h.s.call('POST', '/api/v1/processes', { service })).body.data as { pid: string }).pid;
    const first = await make('call');
    const second = await make('call');
    const hidden = await make('audit');
    const step = async (pid: string, t: string) => {
      const res = await h.s.callAs(nurse, 'POST', `/api/v1/processes/${pid}/${t}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };
    await step(first, 'start');
    await step(first, 'suspend');
    await step(second, 'start');
    await step(second, 'suspend');
    await step(first, 'resume');

    const moves = (e: Received[]) =>
      e
        .filter((x) => x.event === 'process.state_changed' && x.data.payload.transition !== 'create')
        .map(
          (x) =>
            `${x.data.payload.pid === first ? 'first' : x.data.payload.pid === second ? 'second' : 'hidden'}:${x.data.payload.transition}`,
        );
    const expected = [
      'first:admit',
      'second:admit',
      'first:start',
      'first:suspend',
      'second:start',
      'second:suspend',
      'first:resume',
    ];
    await watcher.waitFor((e) => moves(e).length >= expected.length);
    assert.deepEqual(moves(watcher.events), expected);
    await admin.waitFor((e) => moves(e).includes('first:resume'));
    assert.ok(moves(admin.events).includes('hidden:admit'), 'an admin sees every process');
    assert.ok(!watcher.events.some((e) => e.data.payload.pid === hidden), 'not for the nurse role');
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(guest.events, [], 'a guest without the role or the task sees nothing');
    for (const c of [watcher, admin, guest]) c.close();
  });
});
