/**
 * Audit completeness: every write path (create with lines, update of fields, update of lines,
 * delete, declared action) appends exactly one entry with the changed fields only and the actor
 * (user, IP, user agent, trace id of the response); refused writes append nothing; and the audit
 * table refuses UPDATE, DELETE and TRUNCATE on the database itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError, CoreErrors } from '@tenon/core';
import { updateRecordIn } from '@tenon/design';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });

const DEFINITIONS = [
  {
    name: 'customer',
    label: label('Customer'),
    fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
  },
  {
    name: 'product',
    label: label('Product'),
    fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
  },
  {
    name: 'order_line',
    label: label('Order line'),
    childOf: 'sales_order',
    fields: [
      { name: 'product', label: label('Product'), kind: 'link', target: 'product', required: true },
      { name: 'quantity', label: label('Quantity'), kind: 'quantity', required: true, min: '0' },
    ],
  },
  {
    name: 'sales_order',
    label: label('Sales order'),
    actions: [
      { name: 'confirm', label: label('Confirm') },
      { name: 'reject', label: label('Reject') },
    ],
    fields: [
      { name: 'customer', label: label('Customer'), kind: 'link', target: 'customer', required: true },
      { name: 'note', label: label('Note'), kind: 'string' },
      { name: 'priority', label: label('Priority'), kind: 'integer' },
      { name: 'status', label: label('Status'), kind: 'string', default: 'draft' },
      { name: 'lines', label: label('Lines'), kind: 'children', target: 'order_line' },
    ],
  },
];

type Entry = {
  action: string;
  user_id: string | null;
  username: string | null;
  changes: JsonBody | null;
  ip: string | null;
  user_agent: string | null;
  trace_id: string | null;
};

describe('audit trail of every write', () => {
  let s: TestServer;
  let clerk: string;
  let clerkId: string;
  let reader: string;
  let customer: string;
  const product: string[] = [];
  let trace = 0;

  const audit = async (recordId?: string) =>
    (
      await s.db.query<Entry>(
        `SELECT action, user_id, username, changes, ip, user_agent, trace_id FROM "${s.tenant.schemaName}"._audit
         ${recordId ? 'WHERE record_id = $1' : ''} ORDER BY at, id`,
        recordId ? [recordId] : [],
      )
    ).rows;
  /** A call as the clerk with a user agent and a fresh trace id; the one entry it must leave. */
  const write = async (method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    trace += 1;
    const traceId = `audit-trace-${trace}`;
    const r = await s.callAs(clerk, method, url, body, {
      'user-agent': 'audit-spec/1.0',
      'x-request-id': traceId,
    });
    assert.equal(r.headers['x-trace-id'], traceId);
    return r;
  };
  const assertActor = (e: Entry, r: { headers: Record<string, unknown> }) => {
    assert.deepEqual(
      { user_id: e.user_id, username: e.username, ip: e.ip, user_agent: e.user_agent, trace_id: e.trace_id },
      {
        user_id: clerkId,
        username: `clerk@${s.tenant.name}`,
        ip: '127.0.0.1',
        user_agent: 'audit-spec/1.0',
        trace_id: r.headers['x-trace-id'],
      },
    );
  };
  const newOrder = async () => {
    const r = await s.call('POST', '/api/v1/sales_order', {
      customer,
      note: 'first',
      priority: 1,
      lines: [{ product: product[0], quantity: '2' }],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.data as JsonBody;
  };

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    s.deps.actions.register('sales_order', 'confirm', async ({ tx, ctx, entity, record }) =>
      updateRecordIn(tx, ctx, entity, {
        id: record.id as string,
        patch: { status: 'confirmed' },
        expectedVersion: null,
      }),
    );
    // Changes the record, then fails: the whole action, its change and its entry are rolled back.
    s.deps.actions.register('sales_order', 'reject', async ({ tx, ctx, entity, record }) => {
      await updateRecordIn(tx, ctx, entity, {
        id: record.id as string,
        patch: { status: 'rejected' },
        expectedVersion: null,
      });
      throw new AppError(CoreErrors.BAD_REQUEST, { reason: 'cannot reject' });
    });
    await s.call('PUT', '/api/v1/security/roles/clerk', {
      label: label('Clerk'),
      permissions: [
        {
          entity: 'sales_order',
          actions: ['read', 'create', 'update', 'delete', 'confirm', 'reject'],
          readOnlyFields: ['priority'],
        },
        { entity: 'customer', actions: ['read', 'create', 'update', 'delete'] },
        { entity: 'product', actions: ['read'] },
      ],
    });
    await s.call('PUT', '/api/v1/security/roles/reader', {
      label: label('Reader'),
      permissions: [{ entity: 'sales_order', actions: ['read'] }],
    });
    clerk = await s.userWith({ username: 'clerk', roles: ['clerk'] });
    reader = await s.userWith({ username: 'reader', roles: ['reader'] });
    clerkId = (await s.callAs(clerk, 'GET', '/api/v1/auth/me')).body.data.user.id;
    customer = (await s.call('POST', '/api/v1/customer', { name: 'ACME' })).body.data.id;
    for (const name of ['bolt', 'nut'])
      product.push((await s.call('POST', '/api/v1/product', { name })).body.data.id);
  });
  after(() => s.close());

  it('create with lines: one entry, the whole record and its lines as "after"', async () => {
    const r = await write('POST', '/api/v1/sales_order', {
      customer,
      note: 'n',
      lines: [
        { product: product[0], quantity: '1' },
        { product: product[1], quantity: '3' },
      ],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const entries = await audit(r.body.data.id);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.action, 'create');
    assert.deepEqual(entries[0]!.changes, { after: r.body.data });
    assert.equal(entries[0]!.changes!.after.lines.length, 2);
    assertActor(entries[0]!, r);
  });

  it('update of fields: one entry with before/after of the changed fields only', async () => {
    const order = await newOrder();
    const r = await write('PATCH', `/api/v1/sales_order/${order.id}`, {
      note: 'second',
      customer,
      status: 'draft',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const entries = await audit(order.id);
    assert.deepEqual(
      entries.map((e) => e.action),
      ['create', 'update'],
    );
    assert.deepEqual(entries[1]!.changes, { before: { note: 'first' }, after: { note: 'second' } });
    assertActor(entries[1]!, r);
  });

  it('update of lines: one entry holding the lines before and after', async () => {
    const order = await newOrder();
    const [line] = order.lines as JsonBody[];
    const r = await write('PATCH', `/api/v1/sales_order/${order.id}`, {
      lines: [
        { id: line!.id, quantity: '5' },
        { product: product[1], quantity: '1' },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const entries = await audit(order.id);
    assert.equal(entries.length, 2);
    const { changes } = entries[1]!;
    assert.deepEqual(Object.keys(changes!.before), ['lines']);
    assert.deepEqual(changes!.before.lines, order.lines);
    assert.deepEqual(changes!.after.lines, r.body.data.lines);
    assert.deepEqual(
      changes!.after.lines.map((l: JsonBody) => l.quantity),
      ['5', '1'],
    );
    assertActor(entries[1]!, r);
  });

  it('delete: one entry with the record as it was', async () => {
    const order = await newOrder();
    const was = (await s.call('GET', `/api/v1/sales_order/${order.id}`)).body.data;
    const r = await write('DELETE', `/api/v1/sales_order/${order.id}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const entries = await audit(order.id);
    assert.deepEqual(
      entries.map((e) => e.action),
      ['create', 'delete'],
    );
    assert.deepEqual(entries[1]!.changes, { before: was });
    assertActor(entries[1]!, r);
  });

  it('a declared action: exactly one entry, named after the action, with its changes', async () => {
    const order = await newOrder();
    const r = await write('POST', `/api/v1/sales_order/${order.id}/confirm`, {});
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const entries = await audit(order.id);
    assert.deepEqual(
      entries.map((e) => e.action),
      ['create', 'action:confirm'],
    );
    assert.deepEqual(entries[1]!.changes, { before: { status: 'draft' }, after: { status: 'confirmed' } });
    assertActor(entries[1]!, r);
  });

  it('the trace id is the response x-trace-id when the client sends none', async () => {
    const order = await newOrder();
    const r = await s.callAs(clerk, 'PATCH', `/api/v1/sales_order/${order.id}`, { note: 'traced' });
    const traceId = r.headers['x-trace-id'];
    assert.equal(typeof traceId, 'string');
    assert.equal(r.body.traceId, traceId);
    assert.equal((await audit(order.id))[1]!.trace_id, traceId);
  });

  it('refused writes append nothing and change nothing', async () => {
    const order = await newOrder();
    const was = (await s.call('GET', `/api/v1/sales_order/${order.id}`)).body.data;
    const total = (await audit()).length;
    const refused: [string, Promise<{ status: number; body: JsonBody }>, number][] = [
      ['no permission', s.callAs(reader, 'PATCH', `/api/v1/sales_order/${order.id}`, { note: 'x' }), 403],
      ['create without permission', s.callAs(reader, 'POST', '/api/v1/sales_order', { customer }), 403],
      ['delete without permission', s.callAs(reader, 'DELETE', `/api/v1/sales_order/${order.id}`), 403],
      [
        'action without permission',
        s.callAs(reader, 'POST', `/api/v1/sales_order/${order.id}/confirm`, {}),
        403,
      ],
      ['read-only field', write('PATCH', `/api/v1/sales_order/${order.id}`, { priority: 9 }), 403],
      [
        'invalid line',
        write('PATCH', `/api/v1/sales_order/${order.id}`, {
          lines: [{ product: product[0], quantity: '-1' }],
        }),
        422,
      ],
      ['unknown link', write('POST', '/api/v1/sales_order', { customer: order.id }), 422],
      [
        'stale version',
        s.callAs(clerk, 'PATCH', `/api/v1/sales_order/${order.id}`, { note: 'x' }, { 'if-match': '"99"' }),
        412,
      ],
      ['referenced customer', write('DELETE', `/api/v1/customer/${customer}`), 409],
      ['failing action', write('POST', `/api/v1/sales_order/${order.id}/reject`, {}), 400],
    ];
    for (const [name, call, status] of refused) {
      const r = await call;
      assert.equal(r.status, status, `${name}: ${JSON.stringify(r.body)}`);
    }
    assert.equal((await audit()).length, total);
    assert.deepEqual((await s.call('GET', `/api/v1/sales_order/${order.id}`)).body.data, was);
  });

  it('the audit table refuses UPDATE, DELETE and TRUNCATE, even to SQL', async () => {
    const table = `"${s.tenant.schemaName}"._audit`;
    const before = await audit();
    assert.ok(before.length > 0);
    for (const statement of [
      `UPDATE ${table} SET username = 'someone else'`,
      `DELETE FROM ${table}`,
      `DELETE FROM ${table} WHERE action = 'create'`,
      `TRUNCATE ${table}`,
    ]) {
      await assert.rejects(s.db.query(statement), /append-only/, statement);
    }
    await assert.rejects(
      s.db.transaction(async (tx) => {
        await tx.query(`UPDATE ${table} SET changes = NULL`);
      }),
      /append-only/,
    );
    assert.deepEqual(await audit(), before);
  });
});
