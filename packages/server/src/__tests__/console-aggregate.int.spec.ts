/**
 * `GET /api/v1/:entity/_aggregate`: counts and decimal sums, grouped by select, link and date fields,
 * over exactly the rows the list shows the user (their row condition, the request's filter and a saved
 * view's filter); hidden fields cannot be summed, grouped or filtered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });
const DEFINITIONS = [
  {
    name: 'region',
    label: label('Region'),
    fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
  },
  {
    name: 'sale',
    label: label('Sale'),
    fields: [
      { name: 'region', label: label('Region'), kind: 'link', target: 'region' },
      {
        name: 'status',
        label: label('Status'),
        kind: 'select',
        options: [
          { value: 'open', label: label('Open') },
          { value: 'won', label: label('Won') },
        ],
      },
      { name: 'amount', label: label('Amount'), kind: 'decimal', precision: 20, scale: 4 },
      { name: 'cost', label: label('Cost'), kind: 'decimal', precision: 20, scale: 4 },
      { name: 'qty', label: label('Quantity'), kind: 'integer' },
      { name: 'closed_on', label: label('Closed on'), kind: 'date' },
    ],
  },
];

describe('aggregates honour row conditions and field permissions', () => {
  let s: TestServer;
  let north: string;
  let northRep: string;
  const region: Record<string, string> = {};

  const agg = async (token: string | null, qs: string) =>
    token === null
      ? s.call('GET', `/api/v1/sale/_aggregate?${qs}`)
      : s.callAs(token, 'GET', `/api/v1/sale/_aggregate?${qs}`);
  const groups = (body: JsonBody) => (body.data.groups as JsonBody[]).map((g) => [g.label ?? g.key, g.value]);

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    for (const name of ['North', 'South'])
      region[name] = (await s.call('POST', '/api/v1/region', { name })).body.data.id;
    // Amounts beyond a double's precision: a float sum would lose the last digits.
    const rows = [
      ['North', 'open', '0.1000', 2, '2026-01-05'],
      ['North', 'won', '0.2000', 3, '2026-01-20'],
      ['North', 'won', '9007199254740993.0001', 1, '2026-02-03'],
      ['South', 'won', '5.5000', 7, '2026-02-10'],
      ['South', 'open', '1.0000', 1, null],
    ] as const;
    for (const [r, status, amount, qty, closed] of rows) {
      const res = await s.call('POST', '/api/v1/sale', {
        region: region[r],
        status,
        amount,
        cost: '1',
        qty,
        closed_on: closed,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    await s.call('PUT', '/api/v1/security/roles/north_rep', {
      label: label('North rep'),
      permissions: [
        {
          entity: 'sale',
          actions: ['read'],
          where: { field: 'region', op: 'eq', value: '$user.region' },
          hiddenFields: ['cost'],
        },
        { entity: 'region', actions: ['read'] },
      ],
    });
    north = region.North!;
    northRep = await s.userWith({ username: 'nrep', roles: ['north_rep'], attributes: { region: north } });
  });
  after(() => s.close());

  it('counts and sums exactly, as decimal strings', async () => {
    const all = await agg(null, 'measure=sum:amount');
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.equal(all.body.data.value, '9007199254740999.8001');
    assert.equal((await agg(null, 'measure=count')).body.data.value, '5');
    assert.equal((await agg(null, 'measure=sum:qty')).body.data.value, '14');
    const byStatus = await agg(null, 'measure=sum:amount&groupBy=status');
    assert.deepEqual(groups(byStatus.body), [
      ['open', '1.1000'],
      ['won', '9007199254740998.7001'],
    ]);
  });

  it('groups by a link (with titles) and by date month and week', async () => {
    assert.deepEqual(
      groups((await agg(null, 'groupBy=region')).body),
      [
        ['North', '3'],
        ['South', '2'],
      ].sort((a, b) => (region[a[0]!]! < region[b[0]!]! ? -1 : 1)),
    );
    assert.deepEqual(groups((await agg(null, 'groupBy=closed_on:month')).body), [
      ['2026-01-01', '2'],
      ['2026-02-01', '2'],
      [null, '1'],
    ]);
    // ISO weeks start on Monday: 2026-01-05 is one, 2026-01-20 falls in the week of 2026-01-19.
    assert.deepEqual(groups((await agg(null, 'groupBy=closed_on:week&filter[status]=won')).body), [
      ['2026-01-19', '1'],
      ['2026-02-02', '1'],
      ['2026-02-09', '1'],
    ]);
  });

  it('sees only the rows of the role and refuses hidden fields like unknown ones', async () => {
    const count = await agg(northRep, 'measure=count');
    assert.equal(count.status, 200, JSON.stringify(count.body));
    assert.equal(count.body.data.value, '3');
    assert.equal((await agg(northRep, 'measure=sum:amount')).body.data.value, '9007199254740993.3001');
    assert.deepEqual(groups((await agg(northRep, 'groupBy=status')).body), [
      ['open', '1'],
      ['won', '2'],
    ]);
    // The request's filter narrows within the row condition, never widens it.
    const south = await agg(northRep, `measure=count&filter[region]=${region.South}`);
    assert.equal(south.body.data.value, '0');
    for (const qs of ['measure=sum:cost', 'groupBy=cost', 'filter[cost][gt]=0']) {
      const res = await agg(northRep, qs);
      assert.equal(res.status, 400, qs);
      assert.match(res.body.message, /unknown field cost/);
    }
    assert.equal((await agg(null, 'measure=sum:cost')).body.data.value, '5.0000');
  });

  it('applies a saved view and refuses bad parameters', async () => {
    const view = await s.callAs(northRep, 'POST', '/api/v1/me/views', {
      entity: 'sale',
      name: 'Won',
      state: { filter: { field: 'status', op: 'eq', value: 'won' }, sort: [], columns: [], pageSize: 20 },
    });
    assert.equal(view.status, 201, JSON.stringify(view.body));
    const won = await agg(northRep, `measure=count&view=${view.body.data.id}`);
    assert.equal(won.body.data.value, '2');
    // Another user's private view does not exist for the administrator either.
    assert.equal((await agg(null, `measure=count&view=${view.body.data.id}`)).status, 404);
    for (const qs of [
      'measure=avg:amount',
      'measure=sum:status',
      'groupBy=amount',
      'groupBy=status:month',
      'groupBy=closed_on:year',
    ]) {
      const res = await agg(null, qs);
      assert.equal(res.status, 400, qs);
      assert.equal(res.body.error.code, 'CONSOLE_AGGREGATE_INVALID', qs);
    }
    const nobody = await s.userWith({ username: 'nobody', roles: [] });
    assert.equal((await agg(nobody, 'measure=count')).status, 403);
  });
});
