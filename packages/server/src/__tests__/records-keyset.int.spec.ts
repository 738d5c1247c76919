/**
 * Keyset paging: walking `nextCursor` visits exactly the rows of offset paging, in the same order,
 * for every sortable kind, with empty values, ties and mixed directions (random data included).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });

const DEFINITIONS = [
  { name: 'owner', label: label('Owner'), fields: [{ name: 'name', label: label('Name'), kind: 'string' }] },
  {
    name: 'row',
    label: label('Row'),
    fields: [
      { name: 'batch', label: label('Batch'), kind: 'string', index: true },
      { name: 'rank', label: label('Rank'), kind: 'integer' },
      { name: 'price', label: label('Price'), kind: 'money' },
      { name: 'day', label: label('Day'), kind: 'date' },
      { name: 'word', label: label('Word'), kind: 'string' },
    ],
  },
  {
    name: 'mixed',
    label: label('Mixed'),
    fields: [
      { name: 'code', label: label('Code'), kind: 'sequence', sequence: { pattern: 'M-{SEQ:3}' } },
      { name: 'big', label: label('Big'), kind: 'integer' },
      { name: 'ratio', label: label('Ratio'), kind: 'decimal', precision: 12, scale: 4 },
      { name: 'qty', label: label('Qty'), kind: 'quantity' },
      { name: 'flag', label: label('Flag'), kind: 'boolean' },
      { name: 'at', label: label('At'), kind: 'datetime' },
      { name: 'opens', label: label('Opens'), kind: 'time' },
      {
        name: 'level',
        label: label('Level'),
        kind: 'select',
        options: ['a', 'b'].map((v) => ({ value: v, label: label(v) })),
      },
      { name: 'owner', label: label('Owner'), kind: 'link', target: 'owner' },
      { name: 'twice', label: label('Twice'), kind: 'formula', resultKind: 'decimal', expression: 'qty * 2' },
    ],
  },
];

const SORTABLE = [
  'code',
  'big',
  'ratio',
  'qty',
  'flag',
  'at',
  'opens',
  'level',
  'owner',
  'twice',
  'created_at',
  'version',
  'id',
];

describe('records keyset paging', () => {
  let s: TestServer;

  /** Every row of a query: by offset pages, and by following the cursor. */
  const walk = async (base: string, pageSize: number) => {
    const byOffset: JsonBody[] = [];
    for (let page = 1; ; page++) {
      const r = await s.call('GET', `${base}&pageSize=${pageSize}&page=${page}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      byOffset.push(...r.body.data.items);
      if (r.body.data.items.length < pageSize) break;
    }
    const byCursor: JsonBody[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 1000; guard++) {
      const r = await s.call('GET', `${base}&pageSize=${pageSize}${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200, `${base} cursor ${cursor}: ${JSON.stringify(r.body)}`);
      byCursor.push(...r.body.data.items);
      cursor = r.body.data.nextCursor;
      if (!cursor) break;
    }
    return { byOffset: byOffset.map((r) => r.id), byCursor: byCursor.map((r) => r.id) };
  };

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    const o1 = (await s.call('POST', '/api/v1/owner', { name: 'o1' })).body.data.id;
    const o2 = (await s.call('POST', '/api/v1/owner', { name: 'o2' })).body.data.id;
    const rows = [
      {
        big: 9007199254740991,
        ratio: '1.5',
        qty: '0.000001',
        flag: true,
        at: '2025-01-01T00:00:00Z',
        opens: '08:00',
        level: 'a',
        owner: o1,
      },
      {
        big: -9007199254740991,
        ratio: '1.5000',
        qty: '2',
        flag: false,
        at: '2025-01-01T00:00:00.000001Z',
        opens: '08:00:00.5',
        level: 'b',
        owner: o2,
      },
      {
        big: 1234567890123456,
        qty: '2',
        flag: true,
        at: '2024-12-31T23:59:59.999Z',
        opens: '23:59:59',
        owner: o1,
      },
      { big: 0, ratio: '-0.0001', level: 'a' },
      {
        ratio: '99999999.9999',
        qty: '123456.5',
        flag: false,
        at: '2025-01-01T08:00:00+08:00',
        opens: '00:00',
      },
      {},
    ];
    for (const row of rows) {
      const r = await s.call('POST', '/api/v1/mixed', row);
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
  });
  after(() => s.close());

  it('follows the cursor through every sortable kind, both directions, with ties and empty values', async () => {
    for (const field of SORTABLE) {
      for (const dir of ['', '-']) {
        for (const pageSize of [1, 4]) {
          const { byOffset, byCursor } = await walk(`/api/v1/mixed?sort=${dir}${field}`, pageSize);
          assert.equal(byOffset.length, 6, `${dir}${field}`);
          assert.deepEqual(byCursor, byOffset, `${dir}${field} pageSize ${pageSize}`);
        }
      }
    }
    const multi = await walk('/api/v1/mixed?sort=-flag,level,-at', 1);
    assert.deepEqual(multi.byCursor, multi.byOffset);
    const filtered = await walk('/api/v1/mixed?sort=qty&filter[flag][null]=false', 1);
    assert.equal(filtered.byOffset.length, 4);
    assert.deepEqual(filtered.byCursor, filtered.byOffset);
  });

  it('keyset paging equals offset paging on random data with empty values and mixed directions', async () => {
    const SORT_KEYS = ['rank', 'price', 'day', 'word'] as const;
    type Key = (typeof SORT_KEYS)[number];
    const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 3 });
    const rowArb = fc.record({
      rank: nullable(fc.integer({ min: -2, max: 2 })),
      price: nullable(fc.constantFrom('0.00', '1.5', '1.50', '-2.25', '10.00')),
      day: nullable(fc.constantFrom('2024-01-01', '2024-02-29', '2025-12-31')),
      word: nullable(fc.constantFrom('a', 'b', 'ab', 'ba')),
    });
    const sortArb = fc.uniqueArray(fc.record({ key: fc.constantFrom(...SORT_KEYS), desc: fc.boolean() }), {
      minLength: 1,
      maxLength: 3,
      selector: (k) => k.key,
    });
    // Empty values are the largest: last ascending, first descending (as PostgreSQL sorts them).
    const compare = (a: JsonBody, b: JsonBody, sort: { key: Key; desc: boolean }[]) => {
      for (const { key, desc } of sort) {
        const [x, y] = [a[key], b[key]];
        if (x === y) continue;
        let c: number;
        if (x === null) c = 1;
        else if (y === null) c = -1;
        else if (key === 'rank' || key === 'price') c = Number(x) - Number(y);
        else c = x < y ? -1 : 1;
        if (c !== 0) return desc ? -c : c;
      }
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    };

    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 20 }),
        sortArb,
        fc.integer({ min: 1, max: 7 }),
        async (rows, sort, pageSize) => {
          const batch = randomUUID();
          for (const row of rows) {
            const r = await s.call('POST', '/api/v1/row', { batch, ...row });
            assert.equal(r.status, 201, JSON.stringify(r.body));
          }
          const base = `/api/v1/row?filter[batch][eq]=${batch}&pageSize=${pageSize}&sort=${sort
            .map((k) => `${k.desc ? '-' : ''}${k.key}`)
            .join(',')}`;
          const byOffset: JsonBody[] = [];
          for (let page = 1; ; page++) {
            const r = await s.call('GET', `${base}&page=${page}&total=true`);
            assert.equal(r.status, 200, JSON.stringify(r.body));
            assert.equal(r.body.data.total, rows.length);
            byOffset.push(...r.body.data.items);
            if (r.body.data.items.length < pageSize) break;
          }
          const byCursor: JsonBody[] = [];
          let cursor: string | null = null;
          for (let guard = 0; guard <= rows.length + 1; guard++) {
            const r = await s.call('GET', cursor ? `${base}&cursor=${cursor}` : base);
            assert.equal(r.status, 200, JSON.stringify(r.body));
            byCursor.push(...r.body.data.items);
            cursor = r.body.data.nextCursor;
            if (!cursor) break;
          }
          assert.equal(cursor, null, 'the cursor walk ends');
          const idsOf = (list: JsonBody[]) => list.map((r) => r.id);
          assert.deepEqual(idsOf(byCursor), idsOf(byOffset));
          assert.equal(new Set(idsOf(byOffset)).size, rows.length);
          assert.deepEqual(idsOf(byOffset), idsOf([...byOffset].sort((a, b) => compare(a, b, sort))));
        },
      ),
      { numRuns: 15 },
    );
  });
});
