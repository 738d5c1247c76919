/**
 * The one-statement create (decision 0050): a create without an Idempotency-Key is ONE SQL statement
 * (counter, row, audit, outbox, wake-up), and what its audit entry and event say the record is equals
 * what a read returns, field kind by field kind; the general path stays for entities with lines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '@tenon/db';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });

describe('one-statement create', () => {
  let s: TestServer;
  let customer: string;
  const lastOutbox = async () =>
    (
      await s.db.run<{ topic: string; payload: { after: JsonBody } }>(
        sql`SELECT topic, payload FROM ${sql.id(s.tenant.schemaName, '_outbox')} ORDER BY id DESC LIMIT 1`,
      )
    ).rows[0]!;
  const lastAudit = async () =>
    (
      await s.db.run<{ action: string; changes: { after: JsonBody } }>(
        sql`SELECT action, changes FROM ${sql.id(s.tenant.schemaName, '_audit')} ORDER BY at DESC, id DESC LIMIT 1`,
      )
    ).rows[0]!;

  before(async () => {
    s = await createTestServer();
    await s.define([
      {
        name: 'client',
        label: label('Client'),
        fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
      },
      {
        name: 'order_doc',
        label: label('Order'),
        fields: [
          { name: 'number', label: label('No.'), kind: 'sequence', sequence: { pattern: 'SO-{SEQ:3}' } },
          { name: 'title', label: label('Title'), kind: 'string', required: true },
          { name: 'note', label: label('Note'), kind: 'text' },
          { name: 'count', label: label('Count'), kind: 'integer' },
          { name: 'rate', label: label('Rate'), kind: 'decimal', precision: 12, scale: 3 },
          { name: 'amount', label: label('Amount'), kind: 'money', currency: 'CNY' },
          { name: 'qty', label: label('Qty'), kind: 'quantity' },
          { name: 'urgent', label: label('Urgent'), kind: 'boolean' },
          { name: 'due', label: label('Due'), kind: 'date' },
          { name: 'placed_at', label: label('Placed'), kind: 'datetime' },
          {
            name: 'status',
            label: label('Status'),
            kind: 'select',
            options: [{ value: 'open', label: label('Open') }],
            default: 'open',
          },
          { name: 'client', label: label('Client'), kind: 'link', target: 'client' },
          { name: 'extra', label: label('Extra'), kind: 'json' },
          {
            name: 'total',
            label: label('Total'),
            kind: 'formula',
            resultKind: 'decimal',
            expression: 'qty * amount',
          },
        ],
      },
    ]);
    customer = (await s.call('POST', '/api/v1/client', { name: 'ACME' })).body.data.id;
  });
  after(() => s.close());

  it('is one SQL statement, and its audit entry and event hold the record as a read returns it', async () => {
    const before = s.db.statementCount();
    const created = await s.call('POST', '/api/v1/order_doc', {
      title: 'First',
      count: 3,
      rate: '1.5',
      amount: '12.3',
      qty: '2.50',
      urgent: true,
      due: '2026-03-01',
      placed_at: '2026-03-01T08:30:00.125+08:00',
      client: customer.toUpperCase(),
      extra: { b: [1, 2], a: 'x' },
    });
    const statements = s.db.statementCount() - before;
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(statements, 1);
    const read = (await s.call('GET', `/api/v1/order_doc/${created.body.data.id}`)).body.data;
    assert.deepEqual(created.body.data, read);
    assert.equal(read.number, 'SO-001');
    assert.equal(read.rate, '1.500');
    assert.equal(read.placed_at, '2026-03-01T00:30:00.125Z');
    const event = await lastOutbox();
    assert.equal(event.topic, 'record.created');
    assert.deepEqual(event.payload.after, read);
    const audit = await lastAudit();
    assert.equal(audit.action, 'create');
    assert.deepEqual(audit.changes.after, read);
  });

  it('leaves out nothing: fields not given are null in the event, as in a read', async () => {
    const created = await s.call('POST', '/api/v1/order_doc', { title: 'Bare' });
    assert.equal(created.status, 201);
    const read = (await s.call('GET', `/api/v1/order_doc/${created.body.data.id}`)).body.data;
    assert.equal(read.number, 'SO-002');
    assert.equal(read.status, 'open');
    assert.deepEqual((await lastOutbox()).payload.after, read);
  });

  it('a refused create (unknown link) writes nothing and gives its number back', async () => {
    const count = async () =>
      (
        await s.db.run<{ n: string }>(
          sql`SELECT count(*) AS n FROM ${sql.id(s.tenant.schemaName, '_outbox')}`,
        )
      ).rows[0]!.n;
    const events = await count();
    const refused = await s.call('POST', '/api/v1/order_doc', {
      title: 'Ghost',
      client: '01900000-0000-7000-8000-000000000000',
    });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.code, 'REFERENCE_NOT_FOUND');
    assert.equal(await count(), events);
    const next = await s.call('POST', '/api/v1/order_doc', { title: 'Next' });
    assert.equal(next.body.data.number, 'SO-003');
  });

  it('numbers 12 concurrent creates gap-free', async () => {
    const rs = await Promise.all(
      Array.from({ length: 12 }, (_, i) => s.call('POST', '/api/v1/order_doc', { title: `c${i}` })),
    );
    assert.deepEqual(
      rs.map((r) => r.status),
      Array(12).fill(201),
    );
    const numbers = rs.map((r) => r.body.data.number as string).sort();
    assert.deepEqual(
      numbers,
      Array.from({ length: 12 }, (_, i) => `SO-${String(i + 4).padStart(3, '0')}`),
    );
  });

  it('combines concurrent creates: consecutive numbers, one audit entry and event each, a refusal alone', async () => {
    const schema = s.tenant.schemaName;
    const before = await s.db.run<{ n: string }>(
      sql`SELECT count(*) AS n FROM ${sql.id(schema, 'order_doc')}`,
    );
    const rs = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        s.call(
          'POST',
          '/api/v1/order_doc',
          // One links to a client that does not exist: refused, and only it.
          i === 9
            ? { title: 'broken', client: '01a21cc0-0000-7000-8000-000000000000' }
            : { title: `g${i}`, count: i },
        ),
      ),
    );
    assert.equal(rs[9]!.status, 422);
    assert.equal(rs[9]!.body.error.code, 'REFERENCE_NOT_FOUND');
    const created = rs.filter((_, i) => i !== 9);
    assert.deepEqual(
      created.map((r) => r.status),
      Array(23).fill(201),
    );
    // Gap-free: the refused create took no number.
    const first = Number(before.rows[0]!.n) + 1;
    assert.deepEqual(
      created.map((r) => r.body.data.number as string).sort(),
      Array.from({ length: 23 }, (_, i) => `SO-${String(first + i).padStart(3, '0')}`),
    );
    for (const r of created.slice(0, 5)) {
      const read = await s.call('GET', `/api/v1/order_doc/${r.body.data.id}`);
      assert.deepEqual(r.body.data, read.body.data);
      const { rows } = await s.db.run<{ payload: { after: JsonBody } }>(
        sql`SELECT payload FROM ${sql.id(schema, '_outbox')} WHERE record_id = ${r.body.data.id as string}::uuid`,
      );
      assert.equal(rows.length, 1);
      assert.deepEqual(rows[0]!.payload.after, read.body.data);
      const audit = await s.db.run<{ changes: { after: JsonBody } }>(
        sql`SELECT changes FROM ${sql.id(schema, '_audit')} WHERE record_id = ${r.body.data.id as string}::uuid`,
      );
      assert.deepEqual(
        audit.rows.map((a) => a.changes.after),
        [read.body.data],
      );
    }
    // Fewer transactions than creates: they were combined.
    const { rows } = await s.db.run<{ n: string }>(
      sql`SELECT count(DISTINCT xmin::text) AS n FROM ${sql.id(schema, 'order_doc')} WHERE title LIKE 'g%'`,
    );
    assert.ok(Number(rows[0]!.n) < 23, `${rows[0]!.n} transactions for 23 creates`);
  });

  it('with an Idempotency-Key the create still works and replays', async () => {
    const body = { title: 'Keyed' };
    const first = await s.call('POST', '/api/v1/order_doc', body, { 'idempotency-key': 'k-1' });
    const again = await s.call('POST', '/api/v1/order_doc', body, { 'idempotency-key': 'k-1' });
    assert.equal(first.status, 201);
    assert.equal(again.body.data.id, first.body.data.id);
    assert.equal(first.body.data.number, 'SO-039');
  });
});
