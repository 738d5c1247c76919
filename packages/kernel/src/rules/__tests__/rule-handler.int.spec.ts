/**
 * The rules' event handler against a real database: record events from real writes, conditions over the
 * event and the record, each instruction kind that needs no other kernel part, bounded cascades, loop
 * detection and the append-only run log. Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AppError, defineErrors, fixedClock } from '@tenon/core';
import { sql } from '@tenon/db';
import { appendEvents, ObjectKindRegistry, SYSTEM_ACTOR, saveObject, updateRecordIn } from '@tenon/design';
import { createTestServer, type TestServer } from '@tenon/server/testing';
import { ruleKind } from '../rule.kind.ts';
import { createRuleHandler } from '../rule-handler.ts';
import { cronSchedulesOf } from '../rule-index.ts';
import { deliverAll } from './deliver.ts';

const label = (en: string) => ({ 'zh-CN': en, en });
const TestErrors = defineErrors({
  TEST_RULES_NOT_OPEN: {
    status: 409,
    'zh-CN': '只有打开的工单可以升级',
    en: 'Only an open ticket can be escalated',
  },
});

describe('rule handler', () => {
  let s: TestServer;
  let handler: ReturnType<typeof createRuleHandler>;
  const clock = fixedClock('2026-05-01T08:00:00.000Z');

  const saveRule = async (definition: Record<string, unknown>) => {
    const result = await saveObject(s.db, {
      kinds: s.deps.objectKinds,
      metamodel: await s.deps.metamodels.forTenant(s.tenant),
      kind: 'rule',
      definition: { label: label(String(definition.name)), ...definition },
      mode: 'upsert',
      user: 'test',
      locale: 'en',
    });
    return result;
  };
  const runs = async () =>
    (
      await s.db.run<{ rule: string; outcome: string; error: string | null; depth: number }>(
        sql`SELECT rule, outcome, error, depth FROM ${sql.id(s.tenant.schemaName, '_rule_run')} ORDER BY at, rule`,
      )
    ).rows;
  const deliver = () => deliverAll(s.db, s.tenant, handler);
  const ticket = async (values: Record<string, unknown>) => {
    const res = await s.call('POST', '/api/v1/ticket', values);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.data as Record<string, unknown>;
  };

  before(async () => {
    const objectKinds = new ObjectKindRegistry();
    objectKinds.register(ruleKind);
    s = await createTestServer({ objectKinds, clock });
    await s.define([
      {
        name: 'ticket',
        label: label('Ticket'),
        actions: [{ name: 'escalate', label: label('Escalate') }],
        fields: [
          { name: 'title', label: label('Title'), kind: 'string', required: true },
          { name: 'priority', label: label('Priority'), kind: 'integer' },
          { name: 'amount', label: label('Amount'), kind: 'decimal', scale: 2 },
          { name: 'status', label: label('Status'), kind: 'string' },
          { name: 'counter', label: label('Counter'), kind: 'integer' },
          { name: 'owner', label: label('Owner'), kind: 'string' },
        ],
      },
      {
        name: 'ticket_note',
        label: label('Ticket note'),
        fields: [
          { name: 'text', label: label('Text'), kind: 'string', required: true },
          { name: 'ticket_ref', label: label('Ticket'), kind: 'string' },
        ],
      },
    ]);
    s.deps.actions.register('ticket', 'escalate', async ({ tx, ctx, entity, record }) => {
      if (record.status !== 'open') throw new AppError(TestErrors.TEST_RULES_NOT_OPEN);
      return updateRecordIn(tx, ctx, entity, {
        id: record.id as string,
        patch: { status: 'escalated' },
        expectedVersion: null,
      });
    });
    handler = createRuleHandler({
      db: s.db,
      metamodels: s.deps.metamodels,
      definitions: s.deps.kernel.definitions,
      actions: s.deps.actions,
      clock,
    });
  });
  after(() => s.close());
  beforeEach(async () => {
    await deliver();
    for (const o of (await s.call('GET', '/api/v1/meta/objects/rule')).body.data.items) {
      await s.call('DELETE', `/api/v1/meta/objects/rule/${o.name}`);
    }
  });

  it('runs a matching rule whose condition holds: set_field, create_record, notify, emit, as rule:<name>', async () => {
    await saveRule({
      name: 'big_ticket',
      event: { topic: 'record.created', entity: 'ticket' },
      condition: 'record.amount > decimal("1000.00") && event.actor.username != ""',
      instructions: [
        { do: 'set_field', field: 'priority', value: '1' },
        {
          do: 'create_record',
          entity: 'ticket_note',
          values: { text: '"Big: " + record.title', ticket_ref: 'record.id' },
        },
        {
          do: 'notify',
          role: 'admin',
          title: label('Big ticket'),
          body: '"Amount " + string(record.amount)',
        },
        { do: 'emit', topic: 'ticket.big', payload: { amount: 'record.amount' } },
      ],
    });
    const big = await ticket({ title: 'Server down', amount: '1500.50' });
    const small = await ticket({ title: 'Mouse', amount: '20.00' });
    await deliver();
    assert.equal((await s.call('GET', `/api/v1/ticket/${big.id}`)).body.data.priority, 1);
    assert.equal((await s.call('GET', `/api/v1/ticket/${small.id}`)).body.data.priority, null);
    const notes = (await s.call('GET', '/api/v1/ticket_note')).body.data.items;
    assert.deepEqual(
      notes.map((n: Record<string, unknown>) => [n.text, n.ticket_ref, n.created_by]),
      [['Big: Server down', big.id, 'rule:big_ticket']],
    );
    const inbox = (await s.call('GET', '/api/v1/notifications')).body.data;
    assert.equal(inbox.total, 1);
    assert.equal(inbox.items[0].body, 'Amount 1500.5');
    assert.deepEqual(inbox.items[0].title, label('Big ticket'));
    const history = (await s.call('GET', `/api/v1/ticket/${big.id}/history`)).body.data.items;
    assert.deepEqual(
      history.map((h: Record<string, unknown>) => [h.action, h.username]),
      [
        ['update', 'rule:big_ticket'],
        ['create', `admin@${s.tenant.name}`],
      ],
    );
    const log = await runs();
    assert.deepEqual(
      log.map((r) => [r.rule, r.outcome]),
      [
        ['big_ticket', 'ok'],
        ['big_ticket', 'skipped'],
      ],
    );
  });

  it('field.changed hears only updates of that field; call_action runs the declared action', async () => {
    await saveRule({
      name: 'escalate_urgent',
      event: { topic: 'field.changed', entity: 'ticket', field: 'priority' },
      condition: 'event.after.priority == 0',
      instructions: [{ do: 'call_action', action: 'escalate' }],
    });
    const t = await ticket({ title: 'Fire', status: 'open' });
    await s.call('PATCH', `/api/v1/ticket/${t.id}`, { title: 'Fire!' });
    await deliver();
    assert.equal((await s.call('GET', `/api/v1/ticket/${t.id}`)).body.data.status, 'open');
    await s.call('PATCH', `/api/v1/ticket/${t.id}`, { priority: 0 });
    await deliver();
    assert.equal((await s.call('GET', `/api/v1/ticket/${t.id}`)).body.data.status, 'escalated');
    const log = (await runs()).filter((r) => r.rule === 'escalate_urgent');
    assert.deepEqual(
      log.map((r) => r.outcome),
      ['ok'],
    );
  });

  it('a failing instruction rolls back that rule only and is logged; the delivery goes on', async () => {
    await saveRule({
      name: 'a_breaks',
      event: { topic: 'record.created', entity: 'ticket' },
      instructions: [
        { do: 'set_field', field: 'owner', value: '"alice"' },
        { do: 'call_action', action: 'escalate' },
      ],
    });
    await saveRule({
      name: 'b_works',
      event: { topic: 'record.created', entity: 'ticket' },
      instructions: [{ do: 'set_field', field: 'status', value: '"triaged"' }],
    });
    const t = await ticket({ title: 'Closed one', status: 'closed' });
    await deliver();
    const row = (await s.call('GET', `/api/v1/ticket/${t.id}`)).body.data;
    assert.equal(row.owner, null, 'the failing rule wrote nothing');
    assert.equal(row.status, 'triaged');
    const log = (await runs()).filter((r) => r.rule === 'a_breaks');
    assert.equal(log[0]?.outcome, 'error');
    assert.match(log[0]?.error ?? '', /TEST_RULES_NOT_OPEN/);
  });

  it('a rule that triggers itself is stopped as a loop, and logged', async () => {
    await saveRule({
      name: 'bump',
      event: { topic: 'record.updated', entity: 'ticket' },
      instructions: [{ do: 'set_field', field: 'counter', value: 'record.counter + 1' }],
    });
    const t = await ticket({ title: 'Loop', counter: 0 });
    await s.call('PATCH', `/api/v1/ticket/${t.id}`, { title: 'Loop 2' });
    await deliver();
    assert.equal((await s.call('GET', `/api/v1/ticket/${t.id}`)).body.data.counter, 1);
    const log = (await runs()).filter((r) => r.rule === 'bump');
    assert.deepEqual(
      log.map((r) => [r.outcome, r.depth]),
      [
        ['ok', 1],
        ['loop', 2],
      ],
    );
  });

  it('a cascade through several rules stops past depth 8', async () => {
    // Rules r0..r9 each set the next counter value; each hears record.updated when counter equals its index.
    for (let i = 0; i < 10; i++) {
      await saveRule({
        name: `chain_${i}`,
        event: { topic: 'field.changed', entity: 'ticket', field: 'counter' },
        condition: `record.counter == ${i + 100}`,
        instructions: [{ do: 'set_field', field: 'counter', value: `record.counter + 1` }],
      });
    }
    const t = await ticket({ title: 'Cascade', counter: 0 });
    await s.call('PATCH', `/api/v1/ticket/${t.id}`, { counter: 100 });
    await deliver();
    assert.equal((await s.call('GET', `/api/v1/ticket/${t.id}`)).body.data.counter, 108);
    const log = (await runs()).filter((r) => r.rule.startsWith('chain_'));
    assert.equal(log.filter((r) => r.outcome === 'ok').length, 8);
    const stopped = log.filter((r) => r.outcome === 'depth');
    assert.ok(stopped.length > 0);
    assert.ok(stopped.every((r) => r.depth === 9));
  });

  it('a cron rule hears the cron events of its own schedule only', async () => {
    await saveRule({
      name: 'weekly_digest',
      event: { topic: 'cron', schedule: { cron: '0 8 * * 1', tz: 'Asia/Shanghai' } },
      instructions: [
        { do: 'create_record', entity: 'ticket_note', values: { text: '"digest " + event.payload.firedAt' } },
      ],
    });
    const defs = await s.deps.kernel.definitions.forTenant(s.tenant);
    assert.deepEqual(cronSchedulesOf(defs), [
      { name: 'weekly_digest', cron: '0 8 * * 1', tz: 'Asia/Shanghai' },
    ]);
    const cron = (schedule: string) =>
      s.db.transaction((tx) =>
        appendEvents(
          tx,
          s.tenant.schemaName,
          [{ topic: 'cron', entity: null, recordId: null, payload: { schedule, firedAt: 'Mon' } }],
          {
            actor: SYSTEM_ACTOR,
          },
        ),
      );
    await cron('other_schedule');
    await cron('weekly_digest');
    await deliver();
    const notes = (await s.call('GET', '/api/v1/ticket_note?pageSize=100')).body.data.items;
    assert.deepEqual(
      notes.filter((n: { text: string }) => n.text.startsWith('digest')).map((n: { text: string }) => n.text),
      ['digest Mon'],
    );
  });

  it('the run log is append-only', async () => {
    await assert.rejects(s.db.run(sql`DELETE FROM ${sql.id(s.tenant.schemaName, '_rule_run')}`));
    await assert.rejects(
      s.db.run(sql`UPDATE ${sql.id(s.tenant.schemaName, '_rule_run')} SET outcome = 'ok'`),
    );
  });
});
