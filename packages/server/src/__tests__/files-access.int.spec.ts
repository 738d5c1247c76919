import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type TestServer } from '../testing.ts';

async function upload(s: TestServer, token: string, content: Buffer): Promise<string> {
  const boundary = `----tenon-${randomUUID()}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      authorization: `Bearer ${token}`,
    },
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  });
  assert.equal(res.statusCode, 201, res.body);
  return JSON.parse(res.body).data.id;
}

describe('files are reachable only through access to what they are attached to', () => {
  let s: TestServer;
  let fileId: string;
  before(async () => {
    s = await createTestServer();
    await s.define([
      {
        name: 'contract',
        label: { 'zh-CN': '合同', en: 'Contract' },
        fields: [
          { name: 'title', label: { en: 'Title' }, kind: 'string', required: true },
          { name: 'scan', label: { en: 'Scan' }, kind: 'attachment' },
        ],
      },
    ]);
    await s.call('PUT', '/api/v1/security/roles/contract_reader', {
      label: { en: 'Contract reader' },
      permissions: [{ entity: 'contract', actions: ['read'] }],
    });
    fileId = await upload(s, s.adminToken, Buffer.from('%PDF-1.4 confidential'));
    const created = await s.call('POST', '/api/v1/contract', { title: 'NDA', scan: fileId });
    assert.equal(created.status, 201);
  });
  after(() => s.close());

  it('the uploader and readers of the record may download; others get 404', async () => {
    const reader = await s.userWith({ username: 'reader', roles: ['contract_reader'] });
    const stranger = await s.userWith({ username: 'stranger', roles: [] });
    const get = (token: string) =>
      s.app.inject({
        method: 'GET',
        url: `/api/v1/files/${fileId}`,
        headers: { authorization: `Bearer ${token}` },
      });
    assert.equal((await get(s.adminToken)).statusCode, 200);
    const asReader = await get(reader);
    assert.equal(asReader.statusCode, 200);
    assert.equal(asReader.body, '%PDF-1.4 confidential');
    assert.equal((await get(stranger)).statusCode, 404);
    const own = await upload(s, stranger, Buffer.from('mine'));
    const mine = await s.app.inject({
      method: 'GET',
      url: `/api/v1/files/${own}`,
      headers: { authorization: `Bearer ${stranger}` },
    });
    assert.equal(mine.statusCode, 200);
    assert.equal((await get(reader)).statusCode, 200);
  });
});
