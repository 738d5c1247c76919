/**
 * List defaults (design object kind `list`): checked against the entity (columns, sort and filter that
 * exist, an offered page size), saved through the meta objects API, and read back by any user who may
 * read the entity through GET /api/v1/lists/:entity, less what the user's roles hide.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleModule } from '../routes/form-layouts.routes.ts';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string, zh = en) => ({ 'zh-CN': zh, en });

describe('list defaults', () => {
  let s: TestServer;
  let reader: string;
  let stranger: string;
  const defaults = {
    entity: 'patient',
    columns: ['full_name', 'balance', 'created_at'],
    sort: ['-balance', 'full_name'],
    pageSize: 20,
    filter: { field: 'active', op: 'eq', value: true },
  };

  before(async () => {
    s = await createTestServer({ modules: [consoleModule] });
    await s.define([
      {
        name: 'patient',
        label: label('Patient', '患者'),
        fields: [
          { name: 'full_name', label: label('Name'), kind: 'string' },
          { name: 'balance', label: label('Balance'), kind: 'money' },
          { name: 'active', label: label('Active'), kind: 'boolean' },
          { name: 'notes', label: label('Notes'), kind: 'json' },
        ],
      },
    ]);
    for (const [name, permissions] of [
      ['reader', [{ entity: 'patient', actions: ['read'], hiddenFields: ['balance'] }]],
      ['stranger', []],
    ] as const) {
      const res = await s.call('PUT', `/api/v1/security/roles/${name}`, { label: label(name), permissions });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    reader = await s.userWith({ username: 'list_reader', roles: ['reader'] });
    stranger = await s.userWith({ username: 'list_stranger', roles: ['stranger'] });
  });
  after(() => s.close());

  it('refuses what the entity does not have, naming each problem, and saves nothing', async () => {
    const bad = await s.call('POST', '/api/v1/meta/objects/list', {
      entity: 'patient',
      name: 'other',
      columns: ['full_name', 'nope', 'full_name'],
      sort: ['notes'],
      pageSize: 7,
      filter: { field: 'ghost', op: 'eq', value: 1 },
      extra: true,
    });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    const fields = (bad.body.error.details as JsonBody[]).map((d) => d.field).sort();
    assert.deepEqual(fields, ['columns.1', 'columns.2', 'extra', 'filter', 'name', 'pageSize', 'sort']);
    const unknown = await s.call('POST', '/api/v1/meta/objects/list', { entity: 'ghost' });
    assert.equal(unknown.status, 422);
    assert.equal((await s.call('GET', '/api/v1/meta/objects/list')).body.data.items.length, 0);
  });

  it('is saved under its entity and read by whoever reads the entity, less hidden fields', async () => {
    const saved = await s.call('POST', '/api/v1/meta/objects/list', defaults);
    assert.equal(saved.status, 201, JSON.stringify(saved.body));
    assert.equal(saved.body.data.name, 'patient');

    const admin = await s.call('GET', '/api/v1/lists/patient');
    assert.equal(admin.status, 200);
    assert.deepEqual(admin.body.data.columns, defaults.columns);
    assert.deepEqual(admin.body.data.sort, defaults.sort);
    assert.equal(admin.body.data.pageSize, 20);
    assert.deepEqual(admin.body.data.filter, defaults.filter);

    const forReader = await s.callAs(reader, 'GET', '/api/v1/lists/patient');
    assert.equal(forReader.status, 200);
    assert.deepEqual(forReader.body.data.columns, ['full_name', 'created_at']);
    assert.deepEqual(forReader.body.data.sort, ['full_name']);
    assert.deepEqual(forReader.body.data.filter, defaults.filter);
    // The defaults work as a list query for that user.
    const list = await s.callAs(
      reader,
      'GET',
      `/api/v1/patient?sort=${forReader.body.data.sort.join(',')}&fields=${forReader.body.data.columns.join(',')}`,
    );
    assert.equal(list.status, 200, JSON.stringify(list.body));

    assert.equal((await s.callAs(stranger, 'GET', '/api/v1/lists/patient')).status, 404);
    assert.equal((await s.call('GET', '/api/v1/lists/ghost')).status, 404);
  });

  it('answers null for an entity without defaults', async () => {
    await s.define([
      {
        name: 'visit',
        label: label('Visit'),
        fields: [{ name: 'note', label: label('Note'), kind: 'string' }],
      },
    ]);
    const none = await s.call('GET', '/api/v1/lists/visit');
    assert.equal(none.status, 200);
    assert.equal(none.body.data, null);
  });
});
