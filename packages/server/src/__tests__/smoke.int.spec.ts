import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type TestServer } from '../testing.ts';

describe('generated API smoke', () => {
  let s: TestServer;
  before(async () => {
    s = await createTestServer();
  });
  after(() => s.close());

  it('creates an entity 患者 from Chinese labels and uses its CRUD at once', async () => {
    const created = await s.call('POST', '/api/v1/meta/entities', {
      label: { 'zh-CN': '患者' },
      fields: [
        { label: { 'zh-CN': '姓名' }, kind: 'string', required: true },
        { label: { 'zh-CN': '余额' }, kind: 'money' },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.data.entities[0].name, 'huan_zhe');
    const rec = await s.call('POST', '/api/v1/huan_zhe', { xing_ming: '王小美', yu_e: '12.50' });
    assert.equal(rec.status, 201, JSON.stringify(rec.body));
    assert.equal(rec.body.data.yu_e, '12.50');
    const bad = await s.call('POST', '/api/v1/huan_zhe', { yu_e: 12.5 });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.error.details.map((d: { field: string }) => d.field).sort(), [
      'xing_ming',
      'yu_e',
    ]);
    const list = await s.call('GET', '/api/v1/huan_zhe?filter[xing_ming][contains]=小');
    assert.equal(list.body.data.items.length, 1);
  });
});
