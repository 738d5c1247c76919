import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type TestServer } from '../testing.ts';

describe('instants are stored as they are shown (milliseconds)', () => {
  let s: TestServer;
  before(async () => {
    s = await createTestServer();
    await s.define([
      {
        name: 'visit',
        label: { 'zh-CN': '就诊', en: 'Visit' },
        fields: [{ name: 'at', label: { en: 'At' }, kind: 'datetime' }],
      },
    ]);
  });
  after(() => s.close());

  it('a returned created_at and datetime field filter back to the record', async () => {
    const created = await s.call('POST', '/api/v1/visit', { at: '2025-01-07T10:30:00.123456+08:00' });
    assert.equal(created.status, 201);
    assert.equal(created.body.data.at, '2025-01-07T02:30:00.123Z');
    for (const field of ['created_at', 'at']) {
      const value = encodeURIComponent(created.body.data[field]);
      const eq = await s.call('GET', `/api/v1/visit?filter[${field}][eq]=${value}`);
      assert.deepEqual(
        eq.body.data.items.map((r: { id: string }) => r.id),
        [created.body.data.id],
        field,
      );
      const lte = await s.call('GET', `/api/v1/visit?filter[${field}][lte]=${value}`);
      assert.equal(lte.body.data.items.length, 1, field);
    }
  });
});
