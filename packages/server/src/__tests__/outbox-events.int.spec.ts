/**
 * The transactional outbox: every audited write appends its record events in the same transaction
 * (a refused or rolled-back write appends none), and a LISTEN on the outbox channel hears the commit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OUTBOX_CHANNEL, sql } from '@tenon/db';
import { createTestServer, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });

describe('outbox events of record writes', () => {
  let s: TestServer;
  const outbox = async () =>
    (
      await s.db.run<{ topic: string; entity: string; record_id: string; payload: Record<string, unknown> }>(
        sql`SELECT topic, entity, record_id, payload FROM ${sql.id(s.tenant.schemaName, '_outbox')} ORDER BY id`,
      )
    ).rows;
  const clear = () => s.db.run(sql`DELETE FROM ${sql.id(s.tenant.schemaName, '_outbox')}`);

  before(async () => {
    s = await createTestServer();
    await s.define([
      {
        name: 'ticket',
        label: label('Ticket'),
        fields: [
          { name: 'title', label: label('Title'), kind: 'string', required: true },
          { name: 'priority', label: label('Priority'), kind: 'integer' },
        ],
      },
    ]);
  });
  after(() => s.close());

  it('appends record.created, record.updated (changed fields) and record.deleted', async () => {
    await clear();
    const created = await s.call('POST', '/api/v1/ticket', { title: 'Printer jam', priority: 2 });
    assert.equal(created.status, 201);
    const id = created.body.data.id as string;
    const patched = await s.call('PATCH', `/api/v1/ticket/${id}`, { priority: 1 });
    assert.equal(patched.status, 200);
    const deleted = await s.call('DELETE', `/api/v1/ticket/${id}`);
    assert.equal(deleted.status, 200);
    const rows = await outbox();
    assert.deepEqual(
      rows.map((r) => [r.topic, r.entity, r.record_id]),
      [
        ['record.created', 'ticket', id],
        ['record.updated', 'ticket', id],
        ['record.deleted', 'ticket', id],
      ],
    );
    assert.equal((rows[0]!.payload.after as Record<string, unknown>).title, 'Printer jam');
    assert.deepEqual(rows[1]!.payload.changed, ['priority']);
    assert.deepEqual(rows[1]!.payload.before, { priority: 2 });
    assert.deepEqual(rows[1]!.payload.after, { priority: 1 });
  });

  it('appends nothing for a refused write', async () => {
    await clear();
    const refused = await s.call('POST', '/api/v1/ticket', { priority: 'high' });
    assert.equal(refused.status, 422);
    assert.deepEqual(await outbox(), []);
  });

  it('announces committed events to a listener on the outbox channel', async () => {
    const heard: string[] = [];
    const stop = await s.db.listen(OUTBOX_CHANNEL, (payload) => heard.push(payload));
    try {
      await s.call('POST', '/api/v1/ticket', { title: 'Heard' });
      for (let i = 0; i < 100 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(heard.includes(s.tenant.schemaName), `heard ${JSON.stringify(heard)}`);
    } finally {
      await stop();
    }
  });
});
