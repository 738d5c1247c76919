/**
 * Webhooks end to end against a real database and a real local HTTP receiver: the HTTP API (validation,
 * permission, secret shown once), deliveries enqueued in the consuming transaction (once per event),
 * signed POSTs retried with backoff until a 2xx, dead after maxAttempts, and redelivery. Both databases.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '@tenon/core';
import { sql } from '@tenon/db';
import { openTestDatabase, testDatabaseKind } from '@tenon/db/testing';
import { createTestServer, type TestServer } from '@tenon/server/testing';
import { OutboxDispatcher } from '../../outbox-dispatcher.ts';
import { createWebhookHandler } from '../webhook-handler.ts';
import { WebhookWorker } from '../webhook-worker.ts';

type Received = { headers: IncomingHttpHeaders; body: string };
const label = (en: string) => ({ 'zh-CN': en, en });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('webhooks', () => {
  let s: TestServer;
  let receiver: Server;
  let base = '';
  let failFirst = 0;
  const received: Received[] = [];
  let dispatcher: OutboxDispatcher;
  let worker: WebhookWorker;

  before(async () => {
    s = await createTestServer();
    await s.define([
      {
        name: 'ticket',
        label: label('Ticket'),
        fields: [{ name: 'title', kind: 'text', label: label('Title'), required: true }],
      },
    ]);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += String(c);
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        const path = req.url ?? '';
        const fail = path.startsWith('/always-fail') || (failFirst > 0 && failFirst-- > 0);
        res.writeHead(fail ? 503 : 204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const tenants = async () => [s.tenant];
    dispatcher = new OutboxDispatcher({
      db: s.db,
      clock: systemClock,
      tenants,
      handlers: [createWebhookHandler()],
    });
    worker = new WebhookWorker({
      db: s.db,
      clock: systemClock,
      tenants,
      backoff: { baseMs: 20, maxMs: 40 },
      maxAttempts: 3,
    });
  });
  after(async () => {
    await s.close();
    await new Promise((r) => receiver.close(r));
  });

  const deliveries = async (id: string, status = '') =>
    (await s.call('GET', `/api/v1/webhooks/${id}/deliveries${status ? `?status=${status}` : ''}`)).body
      .data as {
      items: { id: string; status: string; attempts: number; lastStatus: number | null; topic: string }[];
      total: number;
    };
  const runWorkerUntil = async (done: () => Promise<boolean>) => {
    const end = Date.now() + 10_000;
    while (!(await done())) {
      if (Date.now() > end) throw new Error('timed out');
      await worker.deliverDue();
      await pause(15);
    }
  };

  it('validates definitions, writes nothing on bad input, and needs the $webhook permission', async () => {
    const bad = await s.call('POST', '/api/v1/webhooks', {
      name: '',
      url: 'ftp://x',
      topics: ['Bad Topic'],
      x: 1,
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, 'KERNEL_WEBHOOK_INVALID');
    assert.deepEqual((bad.body.error.details as { field: string }[]).map((d) => d.field).sort(), [
      'name',
      'topics',
      'url',
      'x',
    ]);
    assert.equal((await s.call('GET', '/api/v1/webhooks')).body.data.total, 0);
    const clerk = await s.userWith({ username: 'clerk', roles: [] });
    const denied = await s.callAs(clerk, 'GET', '/api/v1/webhooks');
    assert.equal(denied.status, 403);
    assert.equal((await s.call('GET', '/api/v1/webhooks/not-an-id')).status, 404);
    assert.equal((await s.call('PATCH', '/api/v1/webhooks/not-an-id', { active: false })).status, 404);
  });

  it('signs and delivers matching events, retrying until the receiver accepts', async () => {
    const created = await s.call('POST', '/api/v1/webhooks', {
      name: 'Tickets',
      url: `${base}/hook`,
      topics: ['record.created'],
      entity: 'ticket',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const hook = created.body.data as { id: string; secret: string; active: boolean };
    assert.ok(hook.secret.length >= 16);
    assert.equal(hook.active, true);
    const listed = (await s.call('GET', '/api/v1/webhooks')).body.data.items as Record<string, unknown>[];
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.secret, undefined, 'the secret is never read back');

    const ticket = await s.call('POST', '/api/v1/ticket', { title: 'Printer on fire' });
    assert.equal(ticket.status, 201);
    await s.call('PATCH', `/api/v1/ticket/${ticket.body.data.id}`, { title: 'Printer still on fire' });
    assert.ok((await dispatcher.drain()) >= 2);
    const queued = await deliveries(hook.id);
    assert.equal(queued.total, 1, 'only record.created of ticket matches');
    assert.equal(queued.items[0]?.status, 'pending');

    failFirst = 2;
    received.length = 0;
    await runWorkerUntil(async () => (await deliveries(hook.id)).items[0]?.status === 'delivered');
    const done = (await deliveries(hook.id)).items[0];
    assert.equal(done?.attempts, 3);
    assert.equal(done?.lastStatus, 204);
    assert.equal(received.length, 3);
    const last = received[2] as Received;
    const body = JSON.parse(last.body) as Record<string, unknown>;
    assert.equal(body.topic, 'record.created');
    assert.equal(body.entity, 'ticket');
    assert.equal(body.recordId, ticket.body.data.id);
    assert.equal((body.payload as { after: { title: string } }).after.title, 'Printer on fire');
    assert.equal(last.headers['x-tenon-event'], 'record.created');
    assert.equal(last.headers['x-tenon-delivery'], done?.id);
    assert.match(String(last.headers['x-tenon-timestamp']), /^\d{10}$/);
    const expected = `sha256=${createHmac('sha256', hook.secret).update(last.body).digest('hex')}`;
    assert.equal(last.headers['x-tenon-signature'], expected);
    assert.equal(new Set(received.map((r) => r.headers['x-tenon-delivery'])).size, 1);

    // The same event consumed again (an outbox redelivery) queues nothing new.
    const handler = createWebhookHandler();
    await s.db.transaction((tx) =>
      handler.handle(tx, {
        id: String(body.id),
        schema: s.tenant.schemaName,
        tenant: s.tenant.name,
        topic: 'record.created',
        entity: 'ticket',
        recordId: String(body.recordId),
        payload: {},
        actor: { userId: null, username: 'x' },
        cause: { depth: 0, chain: [] },
        traceId: null,
        createdAt: new Date().toISOString(),
      }),
    );
    assert.equal((await deliveries(hook.id)).total, 1);
    await s.call('DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  it('gives up after maxAttempts, lists dead deliveries and redelivers them', async () => {
    const created = await s.call('POST', '/api/v1/webhooks', {
      name: 'Broken',
      url: `${base}/always-fail`,
      topics: ['*'],
      secret: 'a-secret-of-sixteen+',
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.data.secret, 'a-secret-of-sixteen+');
    const id = created.body.data.id as string;
    await s.call('POST', '/api/v1/ticket', { title: 'Another' });
    await dispatcher.drain();
    await runWorkerUntil(async () => (await deliveries(id, 'dead')).total === 1);
    const dead = (await deliveries(id, 'dead')).items[0];
    assert.equal(dead?.attempts, 3);
    assert.equal(dead?.lastStatus, 503);
    assert.equal((await s.call('GET', `/api/v1/webhooks/${id}/deliveries?status=nope`)).status, 400);

    const again = await s.call('POST', `/api/v1/webhooks/${id}/deliveries/${dead?.id}/redeliver`);
    assert.equal(again.status, 200);
    assert.equal(again.body.data.status, 'pending');
    assert.equal(again.body.data.attempts, 0);
    const twice = await s.call('POST', `/api/v1/webhooks/${id}/deliveries/${dead?.id}/redeliver`);
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'KERNEL_WEBHOOK_DELIVERY_NOT_DEAD');

    // Paused webhooks keep their deliveries pending; the update is validated like the create.
    const paused = await s.call('PATCH', `/api/v1/webhooks/${id}`, { active: false });
    assert.equal(paused.status, 200);
    assert.equal(paused.body.data.version, 2);
    assert.equal((await s.call('PATCH', `/api/v1/webhooks/${id}`, { url: 'nope' })).status, 422);
    assert.equal(await worker.deliverDue(), 0);
    const rows = await s.db.run<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ${sql.id(s.tenant.schemaName, '_webhook_delivery')} WHERE status = 'pending'`,
    );
    assert.equal(rows.rows[0]?.n, 1);
    assert.equal((await s.call('DELETE', `/api/v1/webhooks/${id}`)).status, 200);
    assert.equal((await s.call('DELETE', `/api/v1/webhooks/${id}`)).status, 404);
  });

  it('sends each delivery once with two instances working the queue', {
    skip: testDatabaseKind() === 'pglite',
  }, async () => {
    const created = await s.call('POST', '/api/v1/webhooks', {
      name: 'Busy',
      url: `${base}/busy`,
      topics: ['*'],
    });
    const id = created.body.data.id as string;
    for (let i = 0; i < 40; i++) await s.call('POST', '/api/v1/ticket', { title: `T${i}` });
    await dispatcher.drain();
    assert.equal((await deliveries(id, 'pending')).total, 40);
    const other = await openTestDatabase();
    try {
      received.length = 0;
      const options = { clock: systemClock, tenants: async () => [s.tenant], batch: 3 };
      const a = new WebhookWorker({ db: s.db, ...options });
      const b = new WebhookWorker({ db: other, ...options });
      const counts = await Promise.all([a.deliverDue(), b.deliverDue(), a.deliverDue(), b.deliverDue()]);
      assert.equal(
        counts.reduce((x, y) => x + y, 0),
        40,
      );
      const ids = received
        .filter((r) => r.headers['x-tenon-event'])
        .map((r) => r.headers['x-tenon-delivery']);
      assert.equal(ids.length, 40);
      assert.equal(new Set(ids).size, 40);
      assert.equal((await deliveries(id, 'delivered')).total, 40);
    } finally {
      await other.close();
    }
  });
});
