/**
 * Hostile and malformed list queries: unknown names, SQL in names and values, bad JSON, forged
 * cursors, out-of-range paging. Always a coded 400 (or simply no match), never a 500, and the
 * tables are untouched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });

const DEFINITIONS = [
  {
    name: 'vendor',
    label: label('Vendor'),
    fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
  },
  {
    name: 'widget',
    label: label('Widget'),
    fields: [
      { name: 'name', label: label('Name'), kind: 'string' },
      { name: 'qty', label: label('Qty'), kind: 'integer' },
      { name: 'price', label: label('Price'), kind: 'money' },
      { name: 'active', label: label('Active'), kind: 'boolean' },
      { name: 'made_on', label: label('Made on'), kind: 'date' },
      { name: 'vendor', label: label('Vendor'), kind: 'link', target: 'vendor' },
      { name: 'vendors', label: label('Vendors'), kind: 'multi_link', target: 'vendor' },
      { name: 'extra', label: label('Extra'), kind: 'json' },
    ],
  },
];

const enc = encodeURIComponent;
const json = (v: unknown) => `filter=${enc(JSON.stringify(v))}`;
/** A readable test title: the decoded query with control characters shown as `?`. */
const title = (query: string) =>
  [...decodeURIComponent(query)]
    .map((c) => (c < ' ' ? '?' : c))
    .join('')
    .slice(0, 90);

/** [query, error code] — every one of these is a 400. */
const BAD_QUERIES: [string, string][] = [
  ['filter[colour][eq]=red', 'QUERY_INVALID'],
  ['filter[name][like]=a', 'QUERY_INVALID'],
  ['filter[name][toString]=a', 'QUERY_INVALID'],
  ['filter[constructor][eq]=1', 'QUERY_INVALID'],
  ['filter[__proto__][eq]=1', 'QUERY_INVALID'],
  [`filter[${enc('name;drop table widget')}][eq]=1`, 'QUERY_INVALID'],
  [`filter[${enc('name" OR 1=1 --')}][eq]=1`, 'QUERY_INVALID'],
  [json({ field: 'name") OR (1=1', op: 'eq', value: 'x' }), 'QUERY_INVALID'],
  [json({ field: 'name', op: '= 1 OR 1=1 --', value: 'x' }), 'QUERY_INVALID'],
  [json({ field: 'name', op: 'eq' }), 'QUERY_INVALID'],
  [json({ or: [] }), 'QUERY_INVALID'],
  [json([{ field: 'name', op: 'eq', value: 'x' }]), 'QUERY_INVALID'],
  [json({ and: Array.from({ length: 101 }, () => ({ field: 'qty', op: 'eq', value: 1 })) }), 'QUERY_INVALID'],
  [`filter=${enc('{"or":[')}`, 'QUERY_INVALID'],
  ['filter=not json', 'QUERY_INVALID'],
  ['filter[qty][eq]=1.5', 'QUERY_INVALID'],
  ['filter[qty][eq]=1 OR 1=1', 'QUERY_INVALID'],
  ['filter[qty][gt]=99999999999999999999', 'QUERY_INVALID'],
  ['filter[price][gte]=12,50', 'QUERY_INVALID'],
  ['filter[made_on][eq]=2025-02-30', 'QUERY_INVALID'],
  ['filter[created_at][gt]=2025-01-07T10:30:00', 'QUERY_INVALID'],
  ['filter[active][eq]=yes', 'QUERY_INVALID'],
  ['filter[vendor][eq]=1', 'QUERY_INVALID'],
  ['filter[id][eq]=1', 'QUERY_INVALID'],
  [`filter[name][eq]=${enc('a\u0000b')}`, 'QUERY_INVALID'],
  [`filter[name][in]=${Array.from({ length: 501 }, (_, i) => i).join(',')}`, 'QUERY_INVALID'],
  ['filter[qty][between]=1', 'QUERY_INVALID'],
  ['filter[qty][between]=1,2,3', 'QUERY_INVALID'],
  ['filter[qty][contains]=1', 'QUERY_INVALID'],
  ['filter[active][gt]=true', 'QUERY_INVALID'],
  ['filter[vendor][lt]=0190a0a0-0000-7000-8000-000000000000', 'QUERY_INVALID'],
  ['filter[name][null]=maybe', 'QUERY_INVALID'],
  ['filter[vendors][null]=maybe', 'QUERY_INVALID'],
  ['filter[vendors][gt]=0190a0a0-0000-7000-8000-000000000000', 'QUERY_INVALID'],
  ['filter[extra][eq]=1', 'QUERY_INVALID'],
  ['filter[name.x][eq]=1', 'QUERY_INVALID'],
  ['filter[id.name][eq]=1', 'QUERY_INVALID'],
  ['filter[vendors.name][eq]=1', 'QUERY_INVALID'],
  ['filter[vendor.vendor.name][eq]=1', 'QUERY_INVALID'],
  ['filter[vendor.colour][eq]=1', 'QUERY_INVALID'],
  [`sort=${enc('name;drop table widget')}`, 'QUERY_INVALID'],
  [`sort=${enc('-name desc, (select 1)')}`, 'QUERY_INVALID'],
  ['sort=colour', 'QUERY_INVALID'],
  ['sort=constructor', 'QUERY_INVALID'],
  ['sort=vendors', 'QUERY_INVALID'],
  ['sort=extra', 'QUERY_INVALID'],
  ['fields=name,colour', 'QUERY_INVALID'],
  ['fields=__proto__', 'QUERY_INVALID'],
  [`fields=${enc('name,(select 1)')}`, 'QUERY_INVALID'],
  ['expand=name', 'QUERY_INVALID'],
  ['expand=colour', 'QUERY_INVALID'],
  ['pageSize=0', 'QUERY_INVALID'],
  ['pageSize=501', 'QUERY_INVALID'],
  ['pageSize=-1', 'QUERY_INVALID'],
  ['pageSize=ten', 'QUERY_INVALID'],
  ['page=0', 'QUERY_INVALID'],
  ['page=1.5', 'QUERY_INVALID'],
  ['cursor=not-a-cursor', 'CURSOR_INVALID'],
  ['cursor=%00%01', 'CURSOR_INVALID'],
  [`cursor=${Buffer.from('null').toString('base64url')}`, 'CURSOR_INVALID'],
  [`cursor=${Buffer.from('{"s":"","v":["x"]}').toString('base64url')}`, 'CURSOR_INVALID'],
  [
    `sort=qty&cursor=${Buffer.from(JSON.stringify({ s: 'qty', v: ['1; DROP TABLE widget; --', '0190a0a0-0000-7000-8000-000000000000'] })).toString('base64url')}`,
    'CURSOR_INVALID',
  ],
];

describe('records query: malformed and hostile input', () => {
  let s: TestServer;
  let cursorByName: string;
  const count = async () => (await s.call('GET', '/api/v1/widget?total=true')).body.data.total as number;

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    const v = (await s.call('POST', '/api/v1/vendor', { name: "O'Brien; DROP TABLE vendor; --" })).body.data
      .id;
    for (const [i, name] of ['alpha', "it's", 'gamma'].entries()) {
      const r = await s.call('POST', '/api/v1/widget', {
        name,
        qty: i,
        price: `${i}.00`,
        vendor: v,
        vendors: [v],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const first = await s.call('GET', '/api/v1/widget?sort=name&pageSize=1');
    cursorByName = first.body.data.nextCursor;
    assert.equal(typeof cursorByName, 'string');
  });
  after(() => s.close());

  for (const [query, code] of BAD_QUERIES) {
    it(`400 ${code}: ${title(query)}`, async () => {
      const r = await s.call('GET', `/api/v1/widget?${query}`);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.code, 400);
      assert.equal(r.body.error.code, code);
      assert.equal(r.body.data, null);
      assert.equal(typeof r.body.message, 'string');
    });
  }

  it('a cursor made for one sort is refused for another, and a tampered one is refused', async () => {
    const other = await s.call('GET', `/api/v1/widget?sort=-name&cursor=${cursorByName}`);
    assert.equal(other.status, 400);
    assert.equal(other.body.error.code, 'CURSOR_INVALID');
    const payload = JSON.parse(Buffer.from(cursorByName, 'base64url').toString('utf8'));
    payload.v[1] = "x' OR '1'='1";
    const forged = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const r = await s.call('GET', `/api/v1/widget?sort=name&cursor=${forged}`);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'CURSOR_INVALID');
    const ok = await s.call('GET', `/api/v1/widget?sort=name&pageSize=1&cursor=${cursorByName}`);
    assert.equal(ok.status, 200);
    assert.deepEqual(
      ok.body.data.items.map((i: JsonBody) => i.name),
      ['gamma'],
    );
  });

  it('SQL in values is only data: it matches what it says and nothing else', async () => {
    const attempts = [
      "' OR '1'='1",
      "x'; DROP TABLE widget; --",
      '1); DELETE FROM widget; --',
      '%',
      "\\' OR 1=1 --",
    ];
    for (const value of attempts) {
      for (const op of ['eq', 'contains', 'ne']) {
        const r = await s.call('GET', `/api/v1/widget?filter[name][${op}]=${enc(value)}&total=true`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.data.total, op === 'ne' ? 3 : 0, `${op} ${value}`);
      }
      const viaJson = await s.call(
        'GET',
        `/api/v1/widget?${json({ field: 'name', op: 'in', value: [value] })}`,
      );
      assert.equal(viaJson.status, 200);
      assert.deepEqual(viaJson.body.data.items, []);
    }
    // A quote is just a quote, in a value and through a link path.
    const quoted = await s.call('GET', `/api/v1/widget?filter[name][eq]=${enc("it's")}`);
    assert.deepEqual(
      quoted.body.data.items.map((i: JsonBody) => i.name),
      ["it's"],
    );
    const path = await s.call(
      'GET',
      `/api/v1/widget?filter[vendor.name][contains]=${enc('DROP TABLE vendor')}`,
    );
    assert.equal(path.body.data.items.length, 3);
    // Every table is still there, with every row.
    assert.equal(await count(), 3);
    const vendors = await s.call('GET', '/api/v1/vendor?total=true');
    assert.equal(vendors.body.data.total, 1);
  });

  it('values beyond a column type match nothing instead of failing', async () => {
    for (const q of [
      'filter[version][eq]=99999999999',
      'filter[version][lt]=-99999999999',
      'filter[qty][in]=1,999999999999999999',
    ]) {
      const r = await s.call('GET', `/api/v1/widget?${q}&total=true`);
      assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
    }
    const big = await s.call('GET', '/api/v1/widget?filter[qty][in]=1,999999999999999999&total=true');
    assert.equal(big.body.data.total, 1);
    const none = await s.call('GET', '/api/v1/widget?filter[version][gt]=99999999999&total=true');
    assert.equal(none.body.data.total, 0);
  });

  it('paging edges are accepted: pageSize 1 and 500, a page past the end', async () => {
    for (const [q, n] of [
      ['pageSize=1', 1],
      ['pageSize=500', 3],
      ['page=99&pageSize=2', 0],
    ] as const) {
      const r = await s.call('GET', `/api/v1/widget?${q}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.data.items.length, n, q);
    }
  });
});
