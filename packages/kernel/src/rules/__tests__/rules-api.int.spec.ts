/**
 * Rules through the HTTP API: saving (422 with field paths), the dry run (writes nothing), the run log,
 * and notifications (each user sees their own and their roles'). Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '@tenon/core';
import { sql } from '@tenon/db';
import { ObjectKindRegistry } from '@tenon/design';
import { createTestServer, type TestServer } from '@tenon/server/testing';
import { insertNotification } from '../notification.repository.ts';
import { ruleKind } from '../rule.kind.ts';

const label = (en: string, zh = en) => ({ 'zh-CN': zh, en });

describe('rules API', () => {
  let s: TestServer;
  const clock = fixedClock('2026-05-01T08:00:00.000Z');
  const count = async (table: string) =>
    Number(
      (
        await s.db.run<{ n: string }>(
          sql`SELECT count(*)::text AS n FROM ${sql.id(s.tenant.schemaName, table)}`,
        )
      ).rows[0]?.n,
    );

  const rule = {
    name: 'vip_order',
    label: label('VIP order', '大客户订单'),
    event: { topic: 'record.created', entity: 'sales_order' },
    condition: 'record.total >= decimal("10000.00")',
    instructions: [
      { do: 'set_field', field: 'priority', value: '1' },
      {
        do: 'notify',
        role: 'admin',
        title: label('VIP order', '大客户订单'),
        body: '"Total " + string(record.total)',
      },
      { do: 'create_record', entity: 'order_note', values: { text: '"VIP: " + record.customer' } },
      {
        do: 'schedule_timer',
        afterMinutes: 30,
        run: [{ do: 'emit', topic: 'order.reminder', payload: { customer: 'record.customer' } }],
      },
    ],
  };

  before(async () => {
    const objectKinds = new ObjectKindRegistry();
    objectKinds.register(ruleKind);
    s = await createTestServer({ objectKinds, clock, encryptionKey: 'ab'.repeat(32) });
    await s.define([
      {
        name: 'sales_order',
        label: label('Sales order'),
        fields: [
          { name: 'customer', label: label('Customer'), kind: 'string' },
          { name: 'total', label: label('Total'), kind: 'money' },
          { name: 'priority', label: label('Priority'), kind: 'integer' },
          { name: 'secret', label: label('Secret'), kind: 'string', encrypted: true },
        ],
      },
      {
        name: 'order_note',
        label: label('Order note'),
        fields: [{ name: 'text', label: label('Text'), kind: 'string' }],
      },
    ]);
  });
  after(() => s.close());

  it('refuses invalid rules with 422 and field paths, writes nothing', async () => {
    const bad = await s.call('POST', '/api/v1/meta/objects/rule', {
      ...rule,
      name: 'bad_rule',
      condition: "record.customer.matches('(a+)+$')",
      instructions: [
        { do: 'set_field', field: 'nope', value: '1' },
        { do: 'create_record', entity: 'ghost', values: {} },
        { do: 'set_field', field: 'priority', value: 'record.missing_field + 1' },
        { do: 'notify', title: label('x') },
        { do: 'launch_missiles' },
        { do: 'emit', topic: 'record.created', payload: {} },
        { do: 'create_process', service: 'no_such_service' },
      ],
    });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    const fields = bad.body.error.details.map((d: { field: string }) => d.field);
    for (const f of [
      'condition',
      'instructions.0.field',
      'instructions.1.entity',
      'instructions.2.value',
      'instructions.4.do',
      'instructions.5.topic',
      'instructions.6.service',
    ]) {
      assert.ok(fields.includes(f), `${f} in ${fields.join(', ')}`);
    }
    const detail = (f: string) =>
      bad.body.error.details.find((d: { field: string }) => d.field === f).message;
    assert.match(detail('condition'), /start with \^/);
    assert.match(detail('instructions.2.value'), /no field missing_field/);
    assert.equal((await s.call('GET', '/api/v1/meta/objects/rule')).body.data.total, 0);
    const typed = await s.call('POST', '/api/v1/meta/objects/rule', {
      ...rule,
      name: 'typed',
      condition: '"yes"',
    });
    assert.equal(typed.status, 422);
    assert.match(typed.body.error.details[0].message, /must be of type bool/);
  });

  it('saves a valid rule and dry-runs it by name: matched, condition, evaluated instructions; writes nothing', async () => {
    const saved = await s.call('POST', '/api/v1/meta/objects/rule', rule);
    assert.equal(saved.status, 201, JSON.stringify(saved.body));
    const before = {
      outbox: await count('_outbox'),
      notes: await count('order_note'),
      notifications: await count('_notification'),
    };
    const res = await s.call('POST', '/api/v1/rules/dry-run', {
      rule: 'vip_order',
      event: {
        topic: 'record.created',
        entity: 'sales_order',
        record: {
          id: '0190a1b2-0000-7000-8000-000000000001',
          customer: 'ACME',
          total: '12500.00',
          priority: null,
        },
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const d = res.body.data;
    assert.equal(d.matched, true);
    assert.equal(d.condition, true);
    assert.deepEqual(d.instructions[0], {
      do: 'set_field',
      entity: 'sales_order',
      recordId: '0190a1b2-0000-7000-8000-000000000001',
      field: 'priority',
      value: 1,
    });
    assert.equal(d.instructions[1].body, 'Total 12500');
    assert.deepEqual(d.instructions[2], {
      do: 'create_record',
      entity: 'order_note',
      values: { text: 'VIP: ACME' },
    });
    assert.equal(d.instructions[3].dueAt, '2026-05-01T08:30:00.000Z');
    assert.deepEqual(
      {
        outbox: await count('_outbox'),
        notes: await count('order_note'),
        notifications: await count('_notification'),
      },
      before,
    );
  });

  it('dry-runs an unsaved definition: other topic does not match, a small order fails the condition, errors are reported', async () => {
    const small = await s.call('POST', '/api/v1/rules/dry-run', {
      rule: { ...rule, name: 'draft' },
      event: {
        topic: 'record.updated',
        entity: 'sales_order',
        record: { customer: 'B', total: '9.99' },
        changed: ['total'],
      },
    });
    assert.equal(small.status, 200);
    assert.equal(small.body.data.matched, false);
    assert.equal(small.body.data.condition, false);
    const broken = await s.call('POST', '/api/v1/rules/dry-run', {
      rule: { ...rule, name: 'draft', condition: 'record.total / decimal("0") > decimal("1")' },
      event: { topic: 'record.created', entity: 'sales_order', record: { customer: 'B', total: '1.00' } },
    });
    assert.equal(broken.body.data.condition, 'error');
    assert.match(broken.body.data.conditionError, /Division by zero/);
    assert.match(broken.body.data.instructions[0].error, /the event has no record/);
    const secret = await s.call('POST', '/api/v1/rules/dry-run', {
      rule: { ...rule, name: 'draft', condition: 'has(record.secret) || has(event.after.secret)' },
      event: {
        topic: 'record.created',
        entity: 'sales_order',
        record: { customer: 'C', total: '1.00', secret: 'x' },
      },
    });
    assert.equal(secret.body.data.condition, false, 'encrypted fields never reach rules');
  });

  it('dry run: unknown rule 404, invalid body 422', async () => {
    const missing = await s.call('POST', '/api/v1/rules/dry-run', {
      rule: 'nope',
      event: { topic: 'record.created' },
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'KERNEL_RULE_NOT_FOUND');
    const noEvent = await s.call('POST', '/api/v1/rules/dry-run', { rule: 'vip_order' });
    assert.equal(noEvent.status, 422);
    assert.equal(noEvent.body.error.code, 'KERNEL_RULE_DRY_RUN_INVALID');
    const badRule = await s.call('POST', '/api/v1/rules/dry-run', {
      rule: { name: 'x' },
      event: { topic: 'cron' },
    });
    assert.equal(badRule.status, 422);
    assert.equal(badRule.body.error.code, 'KERNEL_RULE_INVALID');
    assert.ok(badRule.body.error.details.some((e: { field: string }) => e.field === 'rule.instructions'));
    const clerk = await s.userWith({ username: 'clerk', roles: [] });
    assert.equal(
      (
        await s.callAs(clerk, 'POST', '/api/v1/rules/dry-run', {
          rule: 'vip_order',
          event: { topic: 'cron' },
        })
      ).status,
      403,
    );
  });

  it('notifications: a user sees their own and their roles, marks them read; not another user', async () => {
    const nurse = await s.userWith({ username: 'nurse', roles: ['nurse'] });
    const me = (await s.callAs(nurse, 'GET', '/api/v1/auth/me')).body.data;
    const nurseId = (me.userId ?? me.id ?? me.user?.id) as string;
    const ids = await s.db.transaction(async (tx) => [
      await insertNotification(
        tx,
        s.tenant.schemaName,
        {
          userId: nurseId,
          role: null,
          title: label('Call the patient', '回访患者'),
          body: 'today',
          entity: null,
          recordId: null,
          rule: 'r',
        },
        '2026-05-01T08:00:00Z',
      ),
      await insertNotification(
        tx,
        s.tenant.schemaName,
        {
          userId: null,
          role: 'nurse',
          title: label('Ward round'),
          body: null,
          entity: null,
          recordId: null,
          rule: 'r',
        },
        '2026-05-01T09:00:00Z',
      ),
      await insertNotification(
        tx,
        s.tenant.schemaName,
        {
          userId: null,
          role: 'doctor',
          title: label('Not for nurses'),
          body: null,
          entity: null,
          recordId: null,
          rule: 'r',
        },
        '2026-05-01T10:00:00Z',
      ),
    ]);
    const list = await s.callAs(nurse, 'GET', '/api/v1/notifications');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.data.items.map((n: { title: { en: string } }) => n.title.en),
      ['Ward round', 'Call the patient'],
    );
    const read = await s.callAs(nurse, 'POST', `/api/v1/notifications/${ids[0]}/read`);
    assert.equal(read.status, 200);
    assert.equal(read.body.data.readAt, '2026-05-01T08:00:00.000Z');
    const unread = await s.callAs(nurse, 'GET', '/api/v1/notifications?unread=true');
    assert.equal(unread.body.data.total, 1);
    assert.equal((await s.callAs(nurse, 'POST', `/api/v1/notifications/${ids[2]}/read`)).status, 404);
    assert.equal((await s.callAs(nurse, 'POST', '/api/v1/notifications/not-a-uuid/read')).status, 404);
    assert.equal((await s.callAs(null, 'GET', '/api/v1/notifications')).status, 401);
  });

  it('the run log is readable by designers', async () => {
    const runs = await s.call('GET', '/api/v1/rules/runs?rule=vip_order');
    assert.equal(runs.status, 200);
    assert.deepEqual(runs.body.data.items, []);
  });
});
