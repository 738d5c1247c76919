/**
 * The meta API end to end: create an entity from Chinese labels and use it at once, change it with
 * dry runs and confirmations, read its history, and see it in the live OpenAPI document and docs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const zh = (text: string) => ({ 'zh-CN': text });
const patient = {
  label: zh('患者'),
  fields: [
    { label: zh('姓名'), kind: 'string', required: true, maxLength: 40 },
    { label: zh('电话'), kind: 'string' },
    { label: zh('余额'), kind: 'money' },
  ],
};
const META = '/api/v1/meta/entities';

describe('meta API', () => {
  let s: TestServer;
  let recordId: string;
  const startedAt = new Date(Date.now() - 1000).toISOString();

  const definition = async () => {
    const res = await s.call('GET', `${META}/huan_zhe`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.data as JsonBody;
  };
  const names = (def: JsonBody) => (def.fields as { name: string }[]).map((f) => f.name);
  const record = async () => (await s.call('GET', `/api/v1/huan_zhe/${recordId}`)).body.data as JsonBody;
  const historyLength = async () => (await s.call('GET', `${META}/huan_zhe/history`)).body.data.total;

  before(async () => {
    s = await createTestServer();
  });
  after(() => s.close());

  it('creates 患者 from Chinese-only labels, and its CRUD works at once', async () => {
    const created = await s.call('POST', META, patient);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.data.applied, true);
    assert.deepEqual(created.body.data.entities, [{ name: 'huan_zhe', version: 1, changed: true }]);
    assert.equal(created.body.data.plan[0].op, 'create_table');
    assert.match(created.body.data.plan[0].sql[0], /^CREATE TABLE "t_\w+"\."huan_zhe"/);

    const rec = await s.call('POST', '/api/v1/huan_zhe', {
      xing_ming: '王小美',
      dian_hua: '138',
      yu_e: '12.50',
    });
    assert.equal(rec.status, 201, JSON.stringify(rec.body));
    recordId = rec.body.data.id;
    assert.equal(rec.body.data.yu_e, '12.50');
    const patched = await s.call(
      'PATCH',
      `/api/v1/huan_zhe/${recordId}`,
      { yu_e: '20.00' },
      { 'if-match': '"1"' },
    );
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.data.version, 2);
    assert.equal((await record()).yu_e, '20.00');
    const other = await s.call('POST', '/api/v1/huan_zhe', { xing_ming: '李四' });
    assert.equal((await s.call('DELETE', `/api/v1/huan_zhe/${other.body.data.id}`)).status, 200);
    const list = await s.call('GET', '/api/v1/huan_zhe');
    assert.deepEqual(
      list.body.data.items.map((r: JsonBody) => r.id),
      [recordId],
    );
  });

  it('lists definitions and reads one with its version as ETag', async () => {
    const list = await s.call('GET', META);
    assert.equal(list.status, 200);
    const item = list.body.data.items.find((d: JsonBody) => d.name === 'huan_zhe');
    assert.equal(item.version, 1);
    assert.equal(item.source, 'user');
    const one = await s.call('GET', `${META}/huan_zhe`);
    assert.equal(one.headers.etag, '"1"');
    assert.deepEqual(one.body.data.label, zh('患者'));
    assert.deepEqual(names(one.body.data), ['xing_ming', 'dian_hua', 'yu_e']);
    const missing = await s.call('GET', `${META}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'META_ENTITY_NOT_FOUND');
  });

  it('adds a field with PATCH; fields sent by label keep their names', async () => {
    const res = await s.call('PATCH', `${META}/huan_zhe`, {
      fields: [...patient.fields, { label: zh('生日'), kind: 'date' }],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.data.entities, [{ name: 'huan_zhe', version: 2, changed: true }]);
    assert.deepEqual(
      res.body.data.plan.map((p: JsonBody) => [p.op, p.destructive]),
      [['add_column', false]],
    );
    assert.deepEqual(names(await definition()), ['xing_ming', 'dian_hua', 'yu_e', 'sheng_ri']);
    const ok = await s.call('PATCH', `/api/v1/huan_zhe/${recordId}`, { sheng_ri: '1990-05-01' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal((await record()).xing_ming, '王小美');
  });

  it('?dryRun=true returns the plan with its SQL and changes nothing', async () => {
    const fields = [...(await definition()).fields, { label: zh('备注'), kind: 'text', index: true }];
    const before = await historyLength();
    const dry = await s.call('PATCH', `${META}/huan_zhe?dryRun=true`, { fields });
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.equal(dry.body.data.applied, false);
    assert.deepEqual(dry.body.data.entities, [{ name: 'huan_zhe', version: 3, changed: true }]);
    const sql = dry.body.data.plan.flatMap((p: JsonBody) => p.sql);
    assert.deepEqual(
      sql.map((text: string) => text.replace(/"t_\w+"/g, '"t"')),
      [
        'ALTER TABLE "t"."huan_zhe" ADD COLUMN "bei_zhu" text',
        'CREATE INDEX "ix_huan_zhe_bei_zhu" ON "t"."huan_zhe" ("bei_zhu")',
      ],
    );
    const def = await definition();
    assert.equal(def.version, 2);
    assert.ok(!names(def).includes('bei_zhu'));
    assert.equal(await historyLength(), before);
    const refused = await s.call('POST', '/api/v1/huan_zhe', { xing_ming: '赵六', bei_zhu: 'x' });
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
  });

  it('refuses a destructive PATCH with 409 and changes nothing, then applies it with ?confirm=true', async () => {
    const without = (await definition()).fields.filter((f: JsonBody) => f.name !== 'dian_hua');
    const refused = await s.call('PATCH', `${META}/huan_zhe`, { fields: without });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, 'META_DESTRUCTIVE_CHANGE');
    assert.deepEqual(
      refused.body.error.details.map((d: JsonBody) => [d.field, d.code]),
      [['huan_zhe', 'drop_column']],
    );
    assert.match(refused.body.error.details[0].message, /DROP column huan_zhe\.dian_hua/);
    assert.equal((await definition()).version, 2);
    assert.equal((await record()).dian_hua, '138');

    const confirmed = await s.call('PATCH', `${META}/huan_zhe?confirm=true`, { fields: without });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.data.applied, true);
    const def = await definition();
    assert.equal(def.version, 3);
    assert.deepEqual(names(def), ['xing_ming', 'yu_e', 'sheng_ri']);
    const rec = await record();
    assert.equal('dian_hua' in rec, false);
    assert.equal(rec.xing_ming, '王小美');
  });

  it('GET /history lists every version, newest first, with when, who and the plan', async () => {
    const res = await s.call('GET', `${META}/huan_zhe/history`);
    assert.equal(res.status, 200);
    const items = res.body.data.items as JsonBody[];
    assert.deepEqual(
      items.map((h) => h.version),
      [3, 2, 1],
    );
    for (const h of items) {
      assert.ok(h.changedAt >= startedAt && h.changedAt <= new Date().toISOString(), h.changedAt);
      assert.ok('changedBy' in h);
      assert.equal(h.definition.name, 'huan_zhe');
    }
    assert.deepEqual(
      items.map((h) => h.plan.map((p: JsonBody) => `${p.op}:${p.destructive}`)),
      [['drop_column:true'], ['add_column:false'], ['create_table:false']],
    );
    assert.match(items[0]!.plan[0].description, /DROP column huan_zhe\.dian_hua/);
    assert.deepEqual(names(items[2]!.definition), ['xing_ming', 'dian_hua', 'yu_e']);
  });

  it('refuses a duplicate create with 409, and derives a new name when none is given', async () => {
    const dup = await s.call('POST', META, { ...patient, name: 'huan_zhe' });
    assert.equal(dup.status, 409, JSON.stringify(dup.body));
    assert.equal(dup.body.error.code, 'META_ENTITY_EXISTS');
    const dry = await s.call('POST', `${META}?dryRun=true`, patient);
    assert.equal(dry.status, 200);
    assert.equal(dry.body.data.entities[0].name, 'huan_zhe_2');
    assert.equal((await s.call('GET', `${META}/huan_zhe_2`)).status, 404);
  });

  it('refuses an invalid definition with 422 and every problem at its path', async () => {
    const res = await s.call('POST', META, {
      label: {},
      fields: [
        { label: zh('年龄'), kind: 'number' },
        { name: 'id', label: zh('编号'), kind: 'string' },
      ],
    });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'META_DEFINITION_INVALID');
    assert.deepEqual(res.body.error.details.map((d: JsonBody) => `${d.field}:${d.code}`).sort(), [
      'fields.0.kind:invalid_kind',
      'fields.1.name:reserved',
      'label:label_required',
    ]);
    const orphan = await s.call('POST', META, { ...patient, name: 'line', childOf: 'nope' });
    assert.equal(orphan.status, 422, JSON.stringify(orphan.body));
    assert.deepEqual(
      orphan.body.error.details.map((d: JsonBody) => `${d.field}:${d.code}`),
      ['childOf:unknown_entity'],
    );
    const array = await s.call('PATCH', `${META}/huan_zhe`, [patient]);
    assert.equal(array.status, 422);
    const unknown = await s.call('PATCH', `${META}/nope`, patient);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'META_ENTITY_NOT_FOUND');
  });

  it('serves an OpenAPI 3.1 document with the new entity that validates', async () => {
    const res = await s.call('GET', '/api/openapi.json');
    assert.equal(res.status, 200);
    const doc = res.body;
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/api/v1/huan_zhe'].get && doc.paths['/api/v1/huan_zhe'].post);
    assert.ok(doc.paths['/api/v1/huan_zhe/{id}'].patch && doc.paths['/api/v1/huan_zhe/{id}'].delete);
    assert.deepEqual(Object.keys(doc.components.schemas.huan_zhe_create.properties).sort(), [
      'sheng_ri',
      'xing_ming',
      'yu_e',
    ]);
    assert.deepEqual(doc.components.schemas.huan_zhe_create.required, ['xing_ming']);

    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1));
    assert.equal(validator.version, '3.1');
    // the validator is not a rubber stamp
    const broken = structuredClone(doc);
    broken.paths['/api/v1/huan_zhe'].get.responses = { '200': { content: {} } };
    assert.equal((await new Validator().validate(broken)).valid, false);
  });

  it('serves the interactive reference at /api/docs with its swagger-ui assets', async () => {
    const page = await s.app.inject({ method: 'GET', url: '/api/docs' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const assets = [...page.body.matchAll(/(?:src|href)="(\/api\/docs\/static\/[^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(assets.sort(), [
      '/api/docs/static/swagger-ui-bundle.js',
      '/api/docs/static/swagger-ui.css',
    ]);
    for (const url of assets) {
      const asset = await s.app.inject({ method: 'GET', url });
      assert.equal(asset.statusCode, 200, url);
      assert.ok(asset.body.length > 1000, url);
    }
    const js = await s.app.inject({ method: 'GET', url: assets.find((a) => a.endsWith('.js'))! });
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.match(js.body, /SwaggerUIBundle/);
  });
});
