/**
 * Form layouts (design object kind `form`): validated against the entity (fields exist, none twice,
 * columns 1-4, labelled sections), saved through the meta objects API, and read back by any user who
 * may read the entity through GET /api/v1/forms/:entity (null without a layout; 404 otherwise).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleModule } from '../routes/form-layouts.routes.ts';
import { createTestServer, type TestServer } from '../testing.ts';

const label = (en: string, zh = en) => ({ 'zh-CN': zh, en });

describe('form layouts', () => {
  let s: TestServer;
  let reader: string;
  let stranger: string;
  const layout = {
    entity: 'patient',
    style: 'tabs',
    columns: 2,
    sections: [
      { label: label('Basics', '基本信息'), fields: ['full_name', 'age'] },
      { label: label('Money', '费用'), columns: 1, fields: ['balance'] },
    ],
  };

  before(async () => {
    s = await createTestServer({ modules: [consoleModule] });
    await s.define([
      {
        name: 'patient',
        label: label('Patient', '患者'),
        fields: [
          { name: 'full_name', label: label('Name'), kind: 'string' },
          { name: 'age', label: label('Age'), kind: 'integer' },
          { name: 'balance', label: label('Balance'), kind: 'money' },
        ],
      },
    ]);
    for (const [name, permissions] of [
      ['reader', [{ entity: 'patient', actions: ['read'] }]],
      ['stranger', []],
    ] as const) {
      const res = await s.call('PUT', `/api/v1/security/roles/${name}`, { label: label(name), permissions });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    reader = await s.userWith({ username: 'reader1', roles: ['reader'] });
    stranger = await s.userWith({ username: 'stranger1', roles: ['stranger'] });
  });
  after(() => s.close());

  it('answers null before a layout exists', async () => {
    const res = await s.callAs(reader, 'GET', '/api/v1/forms/patient');
    assert.equal(res.status, 200);
    assert.equal(res.body.data, null);
  });

  it('refuses layouts that do not fit the entity, naming the path', async () => {
    const bad = await s.call('POST', '/api/v1/meta/objects/form', {
      ...layout,
      columns: 9,
      sections: [
        { label: label('A'), fields: ['full_name', 'nope'] },
        { label: {}, fields: ['full_name'] },
      ],
    });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    const fields = bad.body.error.details.map((d: { field: string }) => d.field).sort();
    assert.deepEqual(fields, ['columns', 'sections.0.fields.1', 'sections.1.fields.0', 'sections.1.label']);
    const noEntity = await s.call('POST', '/api/v1/meta/objects/form', { ...layout, entity: 'ghost' });
    assert.equal(noEntity.status, 422);
    assert.equal((await s.callAs(reader, 'GET', '/api/v1/forms/patient')).body.data, null);
  });

  it('saves a layout named after its entity, readable by whoever reads the entity', async () => {
    const saved = await s.call('POST', '/api/v1/meta/objects/form', layout);
    assert.equal(saved.status, 201, JSON.stringify(saved.body));
    assert.equal(saved.body.data.name, 'patient');
    const read = await s.callAs(reader, 'GET', '/api/v1/forms/patient');
    assert.equal(read.status, 200);
    assert.equal(read.body.data.style, 'tabs');
    assert.deepEqual(read.body.data.sections[0].fields, ['full_name', 'age']);
    const hidden = await s.callAs(stranger, 'GET', '/api/v1/forms/patient');
    assert.equal(hidden.status, 404);
    assert.equal((await s.callAs(reader, 'GET', '/api/v1/forms/ghost')).status, 404);
  });
});
