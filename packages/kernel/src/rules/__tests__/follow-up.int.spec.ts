/**
 * The scenario, with the real dispatcher and timer loop and an injected clock: when a treatment
 * process ends done, a rule schedules a timer 7 days later that creates a follow-up call process bound
 * to the same patient. A cancelled treatment schedules nothing. Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Clock } from '@tenon/core';
import { sql } from '@tenon/db';
import { ObjectKindRegistry, SYSTEM_ACTOR, saveObject } from '@tenon/design';
import { createTestServer, type TestServer } from '@tenon/server/testing';
import { serviceKind } from '../../definitions/service.kind.ts';
import type { KernelEnv } from '../../env.ts';
import { OutboxDispatcher } from '../../events/outbox-dispatcher.ts';
import { createProcess } from '../../services/create-process.service.ts';
import { transitionProcess } from '../../services/transition-process.service.ts';
import { TimerLoop } from '../../timers/timer-loop.ts';
import { ruleKind } from '../rule.kind.ts';
import { createRuleHandler } from '../rule-handler.ts';

const label = (en: string, zh = en) => ({ 'zh-CN': zh, en });
const DAY = 86_400_000;

describe('rule: a follow-up call 7 days after a treatment ends', () => {
  let s: TestServer;
  let at = Date.parse('2026-05-01T08:00:00.000Z');
  const clock: Clock = { now: () => new Date(at) };
  let dispatcher: OutboxDispatcher;
  let timers: TimerLoop;
  const kinds = new ObjectKindRegistry();
  kinds.register(serviceKind);
  kinds.register(ruleKind);

  const save = async (kind: string, definition: Record<string, unknown>) =>
    saveObject(s.db, {
      kinds,
      metamodel: await s.deps.metamodels.forTenant(s.tenant),
      kind,
      definition,
      mode: 'upsert',
      user: 'test',
      locale: 'en',
    });
  const env = async (): Promise<KernelEnv> => ({
    metamodel: await s.deps.metamodels.forTenant(s.tenant),
    definitions: await s.deps.kernel.definitions.forTenant(s.tenant),
    clock,
    actor: SYSTEM_ACTOR,
  });
  const processes = async (service: string) =>
    (
      await s.db.run<{
        pid: string;
        state: string;
        entity: string;
        record_id: string;
        context: Record<string, unknown>;
        created_by: string;
      }>(
        sql`SELECT pid, state, entity, record_id, context, created_by FROM ${sql.id(s.tenant.schemaName, '_process')}
          WHERE service = ${service} ORDER BY created_at`,
      )
    ).rows;
  const treatmentEnding = async (patientId: string, end: 'complete' | 'cancel') => {
    const e = await env();
    const p = await s.db.transaction((tx) =>
      createProcess(tx, e, { service: 'treatment', entity: 'patient', recordId: patientId }),
    );
    if (end === 'complete') {
      await s.db.transaction((tx) =>
        transitionProcess(tx, e, { pid: p.pid, transition: 'start', operatorId: 'doctor-1' }),
      );
    }
    await s.db.transaction((tx) =>
      transitionProcess(tx, e, { pid: p.pid, transition: end, operatorId: 'doctor-1' }),
    );
    return p.pid;
  };

  before(async () => {
    s = await createTestServer({ objectKinds: kinds, clock });
    await s.define([
      {
        name: 'patient',
        label: label('Patient', '患者'),
        fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
      },
    ]);
    await save('service', {
      name: 'treatment',
      label: label('Treatment', '治疗'),
      bindsTo: 'patient',
      durationMinutes: 60,
    });
    await save('service', {
      name: 'follow_up_call',
      label: label('Follow-up call', '回访电话'),
      bindsTo: 'patient',
    });
    await save('rule', {
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
              context: { treatment: 'event.payload.sourcePid', patient: 'record.name' },
            },
          ],
        },
      ],
    });
    const handler = createRuleHandler({
      db: s.db,
      metamodels: s.deps.metamodels,
      definitions: s.deps.kernel.definitions,
      actions: s.deps.actions,
      clock,
    });
    dispatcher = new OutboxDispatcher({
      db: s.db,
      clock,
      handlers: [handler],
      tenants: async () => [s.tenant],
    });
    timers = new TimerLoop({ db: s.db, clock, tenants: async () => [s.tenant] });
  });
  after(() => s.close());

  it('a cancelled treatment schedules nothing (the condition is false), and the run log says so (first: the clock has not moved yet)', async () => {
    const created = await s.call('POST', '/api/v1/patient', { name: 'Li Lei' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const patient = created.body.data;
    await treatmentEnding(patient.id, 'cancel');
    await dispatcher.drain();
    const pending = await s.db.run(
      sql`SELECT 1 FROM ${sql.id(s.tenant.schemaName, '_timer')} WHERE fired_at IS NULL`,
    );
    assert.equal(pending.rows.length, 0);
    const log = await s.db.run<{ outcome: string }>(
      sql`SELECT outcome, topic, error, event_id FROM ${sql.id(s.tenant.schemaName, '_rule_run')} WHERE rule = 'follow_up_after_treatment' ORDER BY at`,
    );
    assert.deepEqual(
      log.rows.map((r) => r.outcome),
      ['skipped'],
      JSON.stringify(log.rows),
    );
  });

  it('schedules on a done treatment, fires 7 days later by the injected clock, creates the bound call', async () => {
    const patient = (await s.call('POST', '/api/v1/patient', { name: 'Wang Fang' })).body.data;
    const treatment = await treatmentEnding(patient.id, 'complete');
    await dispatcher.drain();
    const scheduled = await s.db.run<{ due_at: string; rule: string }>(
      sql`SELECT to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS due_at, rule
        FROM ${sql.id(s.tenant.schemaName, '_timer')}`,
    );
    assert.deepEqual(scheduled.rows, [{ due_at: '2026-05-08T08:00', rule: 'follow_up_after_treatment' }]);
    assert.equal((await processes('follow_up_call')).length, 0);

    at += 6 * DAY;
    assert.equal(await timers.fireDue(), 0, 'not due after 6 days');
    await dispatcher.drain();
    assert.equal((await processes('follow_up_call')).length, 0);

    at += DAY + 60_000;
    assert.equal(await timers.fireDue(), 1);
    await dispatcher.drain();
    const calls = await processes('follow_up_call');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.state, 'READY');
    assert.equal(calls[0]!.entity, 'patient');
    assert.equal(calls[0]!.record_id, patient.id);
    assert.deepEqual(calls[0]!.context, { treatment, patient: 'Wang Fang' });
    assert.equal(calls[0]!.created_by, 'rule:follow_up_after_treatment');
    assert.equal(await timers.fireDue(), 0, 'a timer fires once');
  });
});
