/**
 * The response envelope and coded errors of the record API: shapes, status codes, trace ids,
 * localised messages, and malformed requests that must be a 4xx, never a 500.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string, zh: string) => ({ en, 'zh-CN': zh });

const DEFINITIONS = [
  {
    name: 'base_doc',
    label: label('Base', '基类'),
    abstract: true,
    fields: [{ name: 'title', label: label('Title', '标题'), kind: 'string' }],
  },
  {
    name: 'note',
    label: label('Note', '便签'),
    extends: 'base_doc',
    fields: [{ name: 'body', label: label('Body', '正文'), kind: 'text' }],
  },
  {
    name: 'ticket',
    label: label('Ticket', '工单'),
    fields: [
      { name: 'subject', label: label('Subject', '主题'), kind: 'string', required: true },
      { name: 'hours', label: label('Hours', '工时'), kind: 'decimal', precision: 6, scale: 1 },
    ],
  },
];

const ERROR_KEYS = ['code', 'data', 'error', 'message', 'timestamp', 'traceId'];
const OK_KEYS = ['code', 'data', 'message', 'timestamp', 'traceId'];

describe('records envelope and errors', () => {
  let s: TestServer;
  let ticketId: string;
  const count = async () => (await s.call('GET', '/api/v1/ticket?total=true')).body.data.total as number;
  const inject = async (
    method: 'POST' | 'PATCH',
    url: string,
    payload: string,
    headers: Record<string, string>,
  ) => {
    const res = await s.app.inject({
      method,
      url,
      payload,
      headers: { authorization: `Bearer ${s.adminToken}`, ...headers },
    });
    return { status: res.statusCode, body: JSON.parse(res.body) as JsonBody, headers: res.headers };
  };

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    ticketId = (await s.call('POST', '/api/v1/ticket', { subject: 'first' })).body.data.id;
  });
  after(() => s.close());

  it('wraps successes as {code, message, data, timestamp, traceId}, code = HTTP status', async () => {
    const started = Date.now();
    const created = await s.call('POST', '/api/v1/ticket', { subject: 'env', hours: '1.5' });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body).sort(), OK_KEYS);
    assert.equal(created.body.code, 201);
    assert.equal(created.body.message, 'success');
    assert.equal(created.body.traceId, created.headers['x-trace-id']);
    const at = Date.parse(created.body.timestamp);
    assert.ok(at >= started - 1000 && at <= Date.now() + 1000, created.body.timestamp);
    assert.equal(new Date(at).toISOString(), created.body.timestamp);
    const got = await s.call('GET', `/api/v1/ticket/${created.body.data.id}`);
    assert.deepEqual([got.status, got.body.code], [200, 200]);
    const list = await s.call('GET', '/api/v1/ticket');
    assert.deepEqual(Object.keys(list.body.data).sort(), [
      'items',
      'nextCursor',
      'page',
      'pageSize',
      'total',
    ]);
    assert.deepEqual([list.body.data.total, list.body.data.page, list.body.data.pageSize], [null, 1, 20]);
    const del = await s.call('DELETE', `/api/v1/ticket/${created.body.data.id}`);
    assert.deepEqual([del.status, del.body.code], [200, 200]);
  });

  it('uses the incoming X-Request-Id as trace id when it is well-formed, else a fresh one', async () => {
    const mine = await s.call('GET', '/api/v1/ticket', undefined, { 'x-request-id': 'req-42.abc:7' });
    assert.equal(mine.body.traceId, 'req-42.abc:7');
    assert.equal(mine.headers['x-trace-id'], 'req-42.abc:7');
    const err = await s.call('GET', `/api/v1/ticket/${randomUUID()}`, undefined, {
      'x-request-id': 'req-43',
    });
    assert.equal(err.body.traceId, 'req-43');
    assert.equal(err.headers['x-trace-id'], 'req-43');
    const hostile = await s.call('GET', '/api/v1/ticket', undefined, { 'x-request-id': 'a b<script>' });
    assert.notEqual(hostile.body.traceId, 'a b<script>');
    assert.match(hostile.body.traceId, /^[0-9a-f-]{36}$/);
    assert.equal(hostile.body.traceId, hostile.headers['x-trace-id']);
    const a = await s.call('GET', '/api/v1/ticket');
    const b = await s.call('GET', '/api/v1/ticket');
    assert.notEqual(a.body.traceId, b.body.traceId);
  });

  it('an unknown entity is 404 META_ENTITY_NOT_FOUND on every method', async () => {
    const id = randomUUID();
    for (const [method, url, body] of [
      ['GET', '/api/v1/nothing'],
      ['POST', '/api/v1/nothing', { a: 1 }],
      ['GET', `/api/v1/nothing/${id}`],
      ['PATCH', `/api/v1/nothing/${id}`, { a: 1 }],
      ['DELETE', `/api/v1/nothing/${id}`],
    ] as const) {
      const r = await s.call(method, url, body);
      assert.equal(r.status, 404, `${method} ${url}`);
      assert.deepEqual(Object.keys(r.body).sort(), ERROR_KEYS);
      assert.equal(r.body.code, 404);
      assert.equal(r.body.data, null);
      assert.equal(r.body.error.code, 'META_ENTITY_NOT_FOUND');
      assert.equal(r.body.message, '实体不存在：nothing');
      assert.equal(r.body.traceId, r.headers['x-trace-id']);
    }
    const abstract = await s.call('GET', '/api/v1/base_doc');
    assert.equal(abstract.status, 400);
    assert.equal(abstract.body.error.code, 'META_ENTITY_ABSTRACT');
    const concrete = await s.call('POST', '/api/v1/note', { title: 'inherited', body: 'x' });
    assert.equal(concrete.status, 201);
    assert.equal(concrete.body.data.title, 'inherited');
  });

  it('an unknown or malformed id is 404 RECORD_NOT_FOUND on get, patch and delete', async () => {
    for (const id of [randomUUID(), 'not-a-uuid', '1', "1' OR '1'='1"]) {
      const path = `/api/v1/ticket/${encodeURIComponent(id)}`;
      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', { subject: 'x' }],
        ['PATCH', {}],
        ['DELETE', undefined],
      ] as const) {
        const r = await s.call(method, path, body);
        assert.equal(r.status, 404, `${method} ${id}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.code, 'RECORD_NOT_FOUND');
        assert.deepEqual(r.body.error.details, []);
        assert.equal(r.body.message, `记录不存在：ticket ${id}`);
      }
    }
    assert.equal(await count(), 1);
  });

  it('speaks English with Accept-Language: en, Chinese by default', async () => {
    const zh = await s.call('POST', '/api/v1/ticket', { hours: '1.25' });
    assert.equal(zh.body.message, '数据校验失败');
    assert.deepEqual(zh.body.error.details, [{ field: 'subject', code: 'required', message: '必填' }]);
    const en = await s.call(
      'POST',
      '/api/v1/ticket',
      { hours: '1.25', subject: 'x' },
      { 'accept-language': 'en-GB,en;q=0.9' },
    );
    assert.equal(en.body.message, 'Validation failed');
    assert.deepEqual(en.body.error.details, [
      { field: 'hours', code: 'scale', message: 'has more than 1 decimal places' },
    ]);
    const missing = await s.call('GET', '/api/v1/nothing', undefined, { 'accept-language': 'en' });
    assert.equal(missing.body.message, 'Unknown entity: nothing');
    const fr = await s.call('GET', '/api/v1/nothing', undefined, { 'accept-language': 'fr-FR' });
    assert.equal(fr.body.message, '实体不存在：nothing');
    const query = await s.call('GET', '/api/v1/ticket?sort=colour', undefined, { 'accept-language': 'en' });
    assert.equal(query.body.message, 'Invalid query: cannot sort by colour');
  });

  it('a malformed body is a 4xx with a coded error and writes nothing', async () => {
    const before = await count();
    const json = { 'content-type': 'application/json' };
    const cases: [string, 'POST' | 'PATCH', string, Record<string, string>, number, string][] = [
      ['invalid JSON', 'POST', '{"subject": "x",', json, 400, 'BAD_REQUEST'],
      ['invalid JSON on patch', 'PATCH', '{subject: x}', json, 400, 'BAD_REQUEST'],
      ['empty JSON body', 'POST', '', json, 400, 'BAD_REQUEST'],
      ['JSON null', 'POST', 'null', json, 422, 'VALIDATION_FAILED'],
      ['JSON array', 'POST', '[{"subject":"x"}]', json, 422, 'VALIDATION_FAILED'],
      ['JSON string', 'PATCH', '"x"', json, 422, 'VALIDATION_FAILED'],
      ['prototype pollution', 'POST', '{"subject":"x","__proto__":{"admin":true}}', json, 400, 'BAD_REQUEST'],
      ['plain text', 'POST', 'subject=x', { 'content-type': 'text/plain' }, 422, 'VALIDATION_FAILED'],
      ['unsupported media type', 'POST', '<x/>', { 'content-type': 'application/xml' }, 400, 'BAD_REQUEST'],
    ];
    for (const [what, method, payload, headers, status, code] of cases) {
      const url = method === 'POST' ? '/api/v1/ticket' : `/api/v1/ticket/${ticketId}`;
      const r = await inject(method, url, payload, headers);
      assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, status, what);
      assert.equal(r.body.error.code, code, what);
      assert.equal(r.body.traceId, r.headers['x-trace-id']);
    }
    const big = await inject(
      'POST',
      '/api/v1/ticket',
      JSON.stringify({ subject: 'x'.repeat(6 * 1024 * 1024) }),
      json,
    );
    assert.equal(big.status, 413);
    assert.equal(big.body.error.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(await count(), before);
    assert.equal((await s.call('GET', `/api/v1/ticket/${ticketId}`)).body.data.version, 1);
  });

  it('an unknown route is 404 NOT_FOUND in the same envelope', async () => {
    const r = await s.call('GET', '/api/v2/ticket');
    assert.equal(r.status, 404);
    assert.deepEqual(Object.keys(r.body).sort(), ERROR_KEYS);
    assert.equal(r.body.error.code, 'NOT_FOUND');
    const put = await s.call('PUT', `/api/v1/ticket/${ticketId}`, { subject: 'x' });
    assert.equal(put.status, 404);
    assert.equal(put.body.error.code, 'NOT_FOUND');
  });
});
