import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '@tenon/core';
import { sql } from '@tenon/db';
import type { KernelEnv } from '../../env.ts';
import type { KernelEvent } from '../../events/types.ts';
import { transitionProcess } from '../../services/transition-process.service.ts';
import { releaseAllocationsHandler } from '../release-allocations.handler.ts';
import { bookSlot } from '../services/book-slot.service.ts';
import { label, type SchedulerHarness, schedulerHarness } from './harness.ts';

const START = '2026-12-01T02:00:00.000Z';

describe('releasing allocations', () => {
  let h: SchedulerHarness;
  let env: KernelEnv;
  before(async () => {
    h = await schedulerHarness(fixedClock('2026-11-30T00:00:00Z'));
    await h.save('resource_type', { name: 'room', label: label('Room'), category: 'room' });
    await h.save('service', {
      name: 'visit',
      label: label('Visit'),
      durationMinutes: 60,
      resources: [{ type: 'room' }],
    });
    await h.resource({ code: 'R1', name: 'Room 1', type: 'room' });
    env = await h.env();
  });
  after(() => h.s.close());

  it('a cancelled booking frees its slot once its state change is delivered (idempotent)', async () => {
    const book = () => h.s.db.transaction((tx) => bookSlot(tx, env, { service: 'visit', start: START }));
    const first = await book();
    await assert.rejects(book(), { code: 'KERNEL_RESOURCE_CONFLICT' });
    const event = await h.s.db.transaction(async (tx) => {
      await transitionProcess(tx, env, { pid: first.process.pid, transition: 'cancel' });
      const e = await tx.run<{ payload: Record<string, unknown>; created_at: Date }>(
        sql`SELECT payload, created_at FROM ${sql.id(h.s.tenant.schemaName, '_outbox')}
          WHERE topic = 'process.state_changed' AND record_id = ${first.process.pid} ORDER BY id DESC LIMIT 1`,
      );
      return e.rows[0]!;
    });
    assert.equal(event.payload.to, 'TERMINATED');
    const delivered: KernelEvent = {
      id: '1',
      schema: h.s.tenant.schemaName,
      tenant: h.s.tenant.name,
      topic: 'process.state_changed',
      entity: '_process',
      recordId: first.process.pid,
      payload: event.payload,
      actor: { userId: null, username: 'system' },
      cause: { depth: 0, chain: [] },
      traceId: null,
      createdAt: new Date(event.created_at).toISOString(),
    };
    for (let i = 0; i < 2; i++) {
      await h.s.db.transaction((tx) => releaseAllocationsHandler.handle(tx, delivered));
    }
    const second = await book();
    assert.equal(second.allocations.length, 1);
    const rows = await h.s.db.run<{
      n: number;
    }>(sql`SELECT count(*)::int AS n FROM ${sql.id(h.s.tenant.schemaName, '_allocation')}
      WHERE released_at IS NOT NULL`);
    assert.equal(rows.rows[0]!.n, 1);
  });
});
