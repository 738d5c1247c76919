/**
 * List queries: every filter operator on the kinds it fits, link paths, and/or groups, sorting,
 * field selection, expansion, offset and keyset paging (see records-keyset for random data).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });
const option = (value: string) => ({ value, label: label(value) });

const DEFINITIONS = [
  {
    name: 'supplier',
    label: label('Supplier'),
    fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
  },
  { name: 'tag', label: label('Tag'), fields: [{ name: 'name', label: label('Name'), kind: 'string' }] },
  {
    name: 'product',
    label: label('Product'),
    fields: [
      { name: 'name', label: label('Name'), kind: 'string' },
      { name: 'price', label: label('Price'), kind: 'money' },
      { name: 'stock', label: label('Stock'), kind: 'integer' },
      { name: 'rating', label: label('Rating'), kind: 'decimal', precision: 5, scale: 1 },
      { name: 'active', label: label('Active'), kind: 'boolean' },
      { name: 'launched', label: label('Launched'), kind: 'date' },
      { name: 'checked_at', label: label('Checked at'), kind: 'datetime' },
      { name: 'opens', label: label('Opens'), kind: 'time' },
      {
        name: 'status',
        label: label('Status'),
        kind: 'select',
        options: ['active', 'draft', 'retired'].map(option),
      },
      { name: 'supplier', label: label('Supplier'), kind: 'link', target: 'supplier' },
      { name: 'tags', label: label('Tags'), kind: 'multi_link', target: 'tag' },
    ],
  },
];

describe('records query: filters, sort, fields, expand, paging', () => {
  let s: TestServer;
  const sup: Record<string, string> = {};
  const tag: Record<string, string> = {};
  const ids: Record<string, string> = {};

  /** Names of the products a query returns, in order. */
  const names = async (query: string): Promise<string[]> => {
    const r = await s.call('GET', `/api/v1/product?pageSize=100&${query}`);
    assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.body)}`);
    return r.body.data.items.map((i: JsonBody) => i.name);
  };
  /** Same, sorted, for filters whose order does not matter. */
  const set = async (query: string) => (await names(query)).sort();

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    for (const n of ['ACME Tools', 'Bolt & Co', '100%_Pure'])
      sup[n] = (await s.call('POST', '/api/v1/supplier', { name: n })).body.data.id;
    for (const n of ['red', 'blue', 'green'])
      tag[n] = (await s.call('POST', '/api/v1/tag', { name: n })).body.data.id;
    const rows: Record<string, unknown>[] = [
      {
        name: 'Anvil',
        price: '120.00',
        stock: 5,
        rating: '4.5',
        active: true,
        launched: '2024-01-15',
        checked_at: '2025-01-01T00:00:00Z',
        opens: '08:00',
        status: 'active',
        supplier: sup['ACME Tools'],
        tags: [tag.red],
      },
      {
        name: 'bolt',
        price: '0.10',
        stock: 1000,
        rating: '3.0',
        active: true,
        launched: '2024-06-01',
        checked_at: '2025-01-02T12:00:00Z',
        opens: '09:30',
        status: 'active',
        supplier: sup['Bolt & Co'],
        tags: [tag.red, tag.blue],
      },
      {
        name: 'Crate 50% off',
        price: '15.50',
        stock: 0,
        active: false,
        launched: '2023-12-31',
        status: 'retired',
        supplier: sup['Bolt & Co'],
      },
      {
        name: 'drill_bit',
        price: '15.5',
        stock: 42,
        rating: '5',
        active: true,
        checked_at: '2025-01-03T08:00:00+08:00',
        opens: '17:45:30',
        status: 'draft',
        tags: [tag.blue],
      },
      {
        name: 'Eyebolt',
        rating: '1.0',
        launched: '2024-02-29',
        checked_at: '2024-12-31T23:59:59Z',
        opens: '23:59',
        status: 'draft',
        supplier: sup['ACME Tools'],
      },
      {
        name: 'Funnel',
        price: '99999.99',
        stock: -3,
        rating: '2.5',
        active: false,
        launched: '2025-01-01',
        checked_at: '2025-01-01T00:00:00.001Z',
        opens: '00:00',
        status: 'active',
        supplier: sup['100%_Pure'],
        tags: [tag.green],
      },
    ];
    for (const row of rows) {
      const r = await s.call('POST', '/api/v1/product', row);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids[row.name as string] = r.body.data.id;
    }
  });
  after(() => s.close());

  it('eq and ne (ne keeps empty values)', async () => {
    assert.deepEqual(await set('filter[name][eq]=bolt'), ['bolt']);
    assert.deepEqual(await set('filter[name]=bolt'), ['bolt']);
    assert.deepEqual(await set('filter[name][eq]=Bolt'), []);
    assert.deepEqual(await set('filter[status][ne]=active'), ['Crate 50% off', 'Eyebolt', 'drill_bit']);
    assert.deepEqual(await set('filter[stock][ne]=0'), ['Anvil', 'Eyebolt', 'Funnel', 'bolt', 'drill_bit']);
    assert.deepEqual(await set('filter[price][eq]=15.5'), ['Crate 50% off', 'drill_bit']);
    assert.deepEqual(await set('filter[rating][eq]=5.0'), ['drill_bit']);
    assert.deepEqual(await set('filter[active][eq]=false'), ['Crate 50% off', 'Funnel']);
    assert.deepEqual(await set(`filter[id][eq]=${ids.Funnel}`), ['Funnel']);
  });

  it('gt, gte, lt, lte on money, integer, decimal, date, datetime and time', async () => {
    assert.deepEqual(await set('filter[price][gt]=15.50'), ['Anvil', 'Funnel']);
    assert.deepEqual(await set('filter[price][gte]=15.50'), [
      'Anvil',
      'Crate 50% off',
      'Funnel',
      'drill_bit',
    ]);
    assert.deepEqual(await set('filter[stock][lt]=1'), ['Crate 50% off', 'Funnel']);
    assert.deepEqual(await set('filter[stock][lte]=-3'), ['Funnel']);
    assert.deepEqual(await set('filter[rating][gte]=4.5'), ['Anvil', 'drill_bit']);
    assert.deepEqual(await set('filter[launched][lt]=2024-03-01'), ['Anvil', 'Crate 50% off', 'Eyebolt']);
    assert.deepEqual(await set('filter[checked_at][gte]=2025-01-01T00:00:00Z'), [
      'Anvil',
      'Funnel',
      'bolt',
      'drill_bit',
    ]);
    // 08:00 in Shanghai is midnight UTC: only the record one second before it is earlier.
    assert.deepEqual(await set('filter[checked_at][lt]=2025-01-01T08:00:00%2B08:00'), ['Eyebolt']);
    assert.deepEqual(await set('filter[opens][gt]=17:00'), ['Eyebolt', 'drill_bit']);
    assert.deepEqual(await set('filter[opens][lte]=08:00:00'), ['Anvil', 'Funnel']);
  });

  it('in, nin (nin keeps empty values), between and contains', async () => {
    assert.deepEqual(await set('filter[status][in]=draft,retired'), [
      'Crate 50% off',
      'Eyebolt',
      'drill_bit',
    ]);
    assert.deepEqual(await set('filter[stock][nin]=0,1000'), ['Anvil', 'Eyebolt', 'Funnel', 'drill_bit']);
    assert.deepEqual(await set('filter[stock][between]=0,42'), ['Anvil', 'Crate 50% off', 'drill_bit']);
    assert.deepEqual(await set('filter[launched][between]=2024-01-01,2024-12-31'), [
      'Anvil',
      'Eyebolt',
      'bolt',
    ]);
    assert.deepEqual(await set('filter[name][contains]=BOLT'), ['Eyebolt', 'bolt']);
    // LIKE wildcards in the value are plain characters.
    assert.deepEqual(await set('filter[name][contains]=%25'), ['Crate 50% off']);
    assert.deepEqual(await set('filter[name][contains]=_'), ['drill_bit']);
    assert.deepEqual(await set('filter[name][contains]=50%25 o'), ['Crate 50% off']);
  });

  it('null on scalars, links and many-to-many links', async () => {
    assert.deepEqual(await set('filter[rating][null]=true'), ['Crate 50% off']);
    assert.deepEqual(await set('filter[launched][null]=false'), [
      'Anvil',
      'Crate 50% off',
      'Eyebolt',
      'Funnel',
      'bolt',
    ]);
    assert.deepEqual(await set('filter[active][null]=true'), ['Eyebolt']);
    assert.deepEqual(await set('filter[supplier][null]=true'), ['drill_bit']);
    assert.deepEqual(await set('filter[tags][null]=true'), ['Crate 50% off', 'Eyebolt']);
    assert.deepEqual(await set('filter[tags][null]=false'), ['Anvil', 'Funnel', 'bolt', 'drill_bit']);
  });

  it('links by id, many-to-many links by any of their ids, and one-level link paths', async () => {
    assert.deepEqual(await set(`filter[supplier][eq]=${sup['ACME Tools']}`), ['Anvil', 'Eyebolt']);
    assert.deepEqual(await set(`filter[tags][eq]=${tag.red}`), ['Anvil', 'bolt']);
    assert.deepEqual(await set(`filter[tags][in]=${tag.red},${tag.green}`), ['Anvil', 'Funnel', 'bolt']);
    assert.deepEqual(await set(`filter[tags][nin]=${tag.blue}`), [
      'Anvil',
      'Crate 50% off',
      'Eyebolt',
      'Funnel',
    ]);
    assert.deepEqual(await set('filter[supplier.name][contains]=acme'), ['Anvil', 'Eyebolt']);
    assert.deepEqual(await set('filter[supplier.name][eq]=100%25_Pure'), ['Funnel']);
    assert.deepEqual(await set('filter[supplier.name][eq]=Bolt %26 Co&filter[stock][gt]=0'), ['bolt']);
  });

  it('and/or groups in the JSON filter, combined with query-string filters', async () => {
    const or = {
      or: [
        { field: 'status', op: 'eq', value: 'retired' },
        {
          and: [
            { field: 'price', op: 'gte', value: '100' },
            { field: 'active', op: 'eq', value: true },
          ],
        },
      ],
    };
    const q = `filter=${encodeURIComponent(JSON.stringify(or))}`;
    assert.deepEqual(await set(q), ['Anvil', 'Crate 50% off']);
    assert.deepEqual(await set(`${q}&filter[stock][gt]=0`), ['Anvil']);
    const nested = {
      and: [
        { field: 'tags', op: 'in', value: [tag.blue] },
        { field: 'supplier', op: 'null' },
      ],
    };
    assert.deepEqual(await set(`filter=${encodeURIComponent(JSON.stringify(nested))}`), ['drill_bit']);
  });

  it('sorts by several keys in mixed directions, empty values last ascending', async () => {
    assert.deepEqual(await names('sort=status,-price'), [
      'Funnel',
      'Anvil',
      'bolt',
      'Eyebolt',
      'drill_bit',
      'Crate 50% off',
    ]);
    assert.deepEqual(await names('sort=price,-stock'), [
      'bolt',
      'drill_bit',
      'Crate 50% off',
      'Anvil',
      'Funnel',
      'Eyebolt',
    ]);
    assert.deepEqual(await names('sort=-launched&filter[launched][null]=false'), [
      'Funnel',
      'bolt',
      'Eyebolt',
      'Anvil',
      'Crate 50% off',
    ]);
  });

  it('returns only the selected fields (plus id and version)', async () => {
    const r = await s.call('GET', '/api/v1/product?fields=name,price,tags&filter[name][eq]=bolt');
    const item = r.body.data.items[0];
    assert.deepEqual(Object.keys(item).sort(), ['id', 'name', 'price', 'tags', 'version']);
    assert.equal(item.price, '0.10');
    assert.deepEqual(item.tags, [tag.red, tag.blue].sort());
    const one = await s.call('GET', `/api/v1/product/${ids.Anvil}?fields=stock`);
    assert.deepEqual(Object.keys(one.body.data).sort(), ['id', 'stock', 'version']);
  });

  it('expands links and many-to-many links into the linked records', async () => {
    const r = await s.call('GET', '/api/v1/product?filter[name][eq]=bolt&expand=supplier,tags');
    const item = r.body.data.items[0];
    assert.equal(item.supplier.id, sup['Bolt & Co']);
    assert.equal(item.supplier.name, 'Bolt & Co');
    assert.deepEqual(
      item.tags.map((t: JsonBody) => [t.id, t.name]),
      [
        [tag.red, 'red'],
        [tag.blue, 'blue'],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    const none = await s.call('GET', `/api/v1/product/${ids.drill_bit}?expand=supplier`);
    assert.equal(none.body.data.supplier, null);
  });

  it('pages by offset, with the total only when asked', async () => {
    const page = async (n: number, total = true) =>
      (await s.call('GET', `/api/v1/product?sort=stock&pageSize=2&page=${n}${total ? '&total=true' : ''}`))
        .body.data;
    const p1 = await page(1);
    assert.deepEqual(
      p1.items.map((i: JsonBody) => i.name),
      ['Funnel', 'Crate 50% off'],
    );
    assert.deepEqual([p1.total, p1.page, p1.pageSize], [6, 1, 2]);
    assert.equal(typeof p1.nextCursor, 'string');
    assert.deepEqual(
      (await page(2)).items.map((i: JsonBody) => i.name),
      ['Anvil', 'drill_bit'],
    );
    const p3 = await page(3, false);
    assert.deepEqual(
      p3.items.map((i: JsonBody) => i.name),
      ['bolt', 'Eyebolt'],
    );
    assert.equal(p3.total, null);
    assert.deepEqual((await page(4)).items, []);
    const filtered = await s.call('GET', '/api/v1/product?filter[active][eq]=true&total=true&pageSize=1');
    assert.equal(filtered.body.data.total, 3);
    assert.equal(filtered.body.data.items.length, 1);
  });

  it('pages by cursor through the same rows as offset paging', async () => {
    const first = (await s.call('GET', '/api/v1/product?sort=-stock&pageSize=4')).body.data;
    assert.deepEqual(
      first.items.map((i: JsonBody) => i.name),
      ['Eyebolt', 'bolt', 'drill_bit', 'Anvil'],
    );
    const second = (await s.call('GET', `/api/v1/product?sort=-stock&pageSize=4&cursor=${first.nextCursor}`))
      .body.data;
    assert.deepEqual(
      second.items.map((i: JsonBody) => i.name),
      ['Crate 50% off', 'Funnel'],
    );
    assert.equal(second.page, null);
    assert.equal(second.nextCursor, null);
  });
});
