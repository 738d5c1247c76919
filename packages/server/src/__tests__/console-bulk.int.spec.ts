/**
 * `POST /api/v1/:entity/_bulk`: set a field, delete (a document is cancelled instead), or run a
 * declared action on selected rows or on every row a filter matches. One transaction: when any row
 * fails, every failing row is reported with its error and nothing is written. Permissions and row
 * conditions apply per row. Also `GET /api/v1/:entity/:id/_actions` (action buttons per record).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError } from '@tenon/core';
import { updateRecordIn } from '@tenon/design';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });
const DEFINITIONS = [
  {
    name: 'ticket',
    label: label('Ticket'),
    actions: [
      { name: 'close', label: label('Close') },
      { name: 'cancel', label: label('Cancel') },
    ],
    fields: [
      { name: 'title', label: label('Title'), kind: 'string' },
      { name: 'team', label: label('Team'), kind: 'string' },
      { name: 'priority', label: label('Priority'), kind: 'integer', min: 1, max: 5 },
      { name: 'status', label: label('Status'), kind: 'string', actionOwned: true, default: 'open' },
    ],
  },
  { name: 'memo', label: label('Memo'), fields: [{ name: 'text', label: label('Text'), kind: 'string' }] },
];

describe('bulk actions on a selection', () => {
  let s: TestServer;
  let rep: string;
  let reader: string;
  const t: Record<string, string> = {};

  const rows = async () =>
    (
      await s.db.query<{ title: string; priority: number; status: string }>(
        `SELECT title, priority, status FROM "${s.tenant.schemaName}"."ticket" ORDER BY title`,
      )
    ).rows.map((r) => `${r.title}:${r.priority}:${r.status}`);
  const bulk = (token: string | null, body: JsonBody, entity = 'ticket') =>
    token === null
      ? s.call('POST', `/api/v1/${entity}/_bulk`, body)
      : s.callAs(token, 'POST', `/api/v1/${entity}/_bulk`, body);

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    const transition = (to: string) =>
      (async ({ tx, ctx, entity, record }) => {
        if (record.status !== 'open')
          throw new AppError('CONSTRAINT_VIOLATION', {
            reason: `ticket ${String(record.title)} is ${String(record.status)}`,
          });
        return updateRecordIn(tx, ctx, entity, {
          id: record.id as string,
          patch: { status: to },
          expectedVersion: null,
        });
      }) as Parameters<typeof s.deps.actions.register>[2];
    s.deps.actions.register('ticket', 'close', transition('closed'));
    s.deps.actions.register('ticket', 'cancel', transition('cancelled'));
    const own = { field: 'team', op: 'eq', value: '$user.team' };
    await s.call('PUT', '/api/v1/security/roles/rep', {
      label: label('Rep'),
      permissions: [
        { entity: 'ticket', actions: ['read', 'update'], where: own },
        {
          entity: 'ticket',
          actions: ['close'],
          where: { and: [own, { field: 'status', op: 'eq', value: 'open' }] },
        },
      ],
    });
    await s.call('PUT', '/api/v1/security/roles/reader', {
      label: label('Reader'),
      permissions: [{ entity: 'ticket', actions: ['read'] }],
    });
    for (const [title, team] of [
      ['a', 'red'],
      ['b', 'red'],
      ['c', 'red'],
      ['d', 'blue'],
    ]) {
      const res = await s.call('POST', '/api/v1/ticket', { title, team, priority: 3 });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      t[title!] = res.body.data.id;
    }
    rep = await s.userWith({ username: 'rep', roles: ['rep'], attributes: { team: 'red' } });
    reader = await s.userWith({ username: 'reader', roles: ['reader'] });
  });
  after(() => s.close());

  it('sets a field on three rows', async () => {
    const res = await bulk(rep, { ids: [t.a, t.b, t.c], operation: 'update', patch: { priority: 1 } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.data.count, 3);
    assert.deepEqual(await rows(), ['a:1:open', 'b:1:open', 'c:1:open', 'd:3:open']);
  });

  it('writes nothing when a row fails, and names every failing row', async () => {
    const outside = await bulk(rep, {
      ids: [t.a, t.d, 'not-an-id'],
      operation: 'update',
      patch: { priority: 2 },
    });
    assert.equal(outside.status, 422, JSON.stringify(outside.body));
    assert.equal(outside.body.error.code, 'CONSOLE_BULK_ROWS_FAILED');
    assert.deepEqual(
      outside.body.error.details.map((d: JsonBody) => [d.field, d.code]),
      [
        [t.d, 'RECORD_NOT_FOUND'],
        ['not-an-id', 'RECORD_NOT_FOUND'],
      ],
    );
    const invalid = await bulk(null, { ids: [t.a, t.b], operation: 'update', patch: { priority: 9 } });
    assert.equal(invalid.status, 422);
    assert.deepEqual(
      invalid.body.error.details.map((d: JsonBody) => d.field),
      [`${t.a}.priority`, `${t.b}.priority`],
    );
    const owned = await bulk(null, { ids: [t.a], operation: 'update', patch: { status: 'closed' } });
    assert.equal(owned.status, 422);
    assert.deepEqual(await rows(), ['a:1:open', 'b:1:open', 'c:1:open', 'd:3:open']);
  });

  it('selects all rows matching a filter within the row condition', async () => {
    const res = await bulk(rep, {
      all: true,
      filter: { field: 'priority', op: 'lte', value: '3' },
      operation: 'update',
      patch: { priority: 4 },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.data.count, 3);
    assert.deepEqual(await rows(), ['a:4:open', 'b:4:open', 'c:4:open', 'd:3:open']);
    const hidden = await bulk(rep, {
      all: true,
      filter: { field: 'nope', op: 'eq', value: 'x' },
      operation: 'update',
      patch: { priority: 1 },
    });
    assert.equal(hidden.status, 400);
  });

  it('runs a declared action on the selection, all or nothing', async () => {
    const closeA = await bulk(rep, { ids: [t.a], operation: 'action', action: 'close' });
    assert.equal(closeA.status, 200, JSON.stringify(closeA.body));
    // a is closed now: its row condition for `close` (status open) no longer holds.
    const again = await bulk(rep, { ids: [t.a, t.b], operation: 'action', action: 'close' });
    assert.equal(again.status, 422);
    assert.deepEqual(
      again.body.error.details.map((d: JsonBody) => d.field),
      [t.a],
    );
    assert.deepEqual(await rows(), ['a:4:closed', 'b:4:open', 'c:4:open', 'd:3:open']);
    const unknown = await bulk(null, { ids: [t.b], operation: 'action', action: 'explode' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'CONSOLE_BULK_INVALID');
  });

  it('shows each record the actions its state allows', async () => {
    const names = async (id: string) =>
      ((await s.callAs(rep, 'GET', `/api/v1/ticket/${id}/_actions`)).body.data.items as JsonBody[])
        .filter((a) => a.allowed)
        .map((a) => a.name);
    assert.deepEqual(await names(t.b!), ['close']);
    assert.deepEqual(await names(t.a!), []);
    assert.equal((await s.callAs(rep, 'GET', `/api/v1/ticket/${t.d}/_actions`)).status, 404);
    const admin = await s.call('GET', `/api/v1/ticket/${t.b}/_actions`);
    assert.deepEqual(
      admin.body.data.items.map((a: JsonBody) => [a.name, a.allowed]),
      [
        ['close', true],
        ['cancel', true],
      ],
    );
  });

  it('cancels documents instead of deleting them; deletes plain records', async () => {
    const cancelled = await bulk(null, { ids: [t.b, t.c], operation: 'delete' });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.data.operation, 'cancel');
    assert.deepEqual(await rows(), ['a:4:closed', 'b:4:cancelled', 'c:4:cancelled', 'd:3:open']);
    const memos = [];
    for (const text of ['x', 'y']) memos.push((await s.call('POST', '/api/v1/memo', { text })).body.data.id);
    const deleted = await bulk(null, { ids: memos, operation: 'delete' }, 'memo');
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.equal(deleted.body.data.operation, 'delete');
    assert.equal((await s.call('GET', '/api/v1/memo?total=true')).body.data.total, 0);
  });

  it('refuses users without the permission and malformed requests', async () => {
    const denied = await bulk(reader, { ids: [t.d], operation: 'update', patch: { priority: 1 } });
    assert.equal(denied.status, 403);
    assert.equal((await bulk(rep, { ids: [t.d], operation: 'delete' })).status, 403);
    assert.equal((await bulk(null, { operation: 'delete' })).status, 400);
    assert.equal((await bulk(null, { ids: [t.d], operation: 'update' })).status, 400);
    assert.equal((await bulk(null, { ids: [t.d], operation: 'drop' })).status, 422);
    assert.deepEqual(await rows(), ['a:4:closed', 'b:4:cancelled', 'c:4:cancelled', 'd:3:open']);
  });
});
