/**
 * Documents with lines and many-to-many links: lines are written with their parent in one
 * transaction, replaced by PATCH (id = keep, no id = add, missing = remove) in the order given,
 * and deleted with it; a line entity has no endpoints of its own.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });

const DEFINITIONS = [
  {
    name: 'customer',
    label: label('Customer'),
    fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
  },
  {
    name: 'product',
    label: label('Product'),
    fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
  },
  { name: 'label', label: label('Label'), fields: [{ name: 'name', label: label('Name'), kind: 'string' }] },
  {
    name: 'order_line',
    label: label('Order line'),
    childOf: 'sales_order',
    fields: [
      { name: 'product', label: label('Product'), kind: 'link', target: 'product', required: true },
      { name: 'quantity', label: label('Quantity'), kind: 'quantity', required: true, min: '0' },
      { name: 'unit_price', label: label('Unit price'), kind: 'money', required: true },
      {
        name: 'amount',
        label: label('Amount'),
        kind: 'formula',
        resultKind: 'decimal',
        expression: 'round(quantity * unit_price, 2)',
      },
    ],
  },
  {
    name: 'sales_order',
    label: label('Sales order'),
    fields: [
      { name: 'number', label: label('Number'), kind: 'sequence', sequence: { pattern: 'SO-{SEQ:3}' } },
      { name: 'customer', label: label('Customer'), kind: 'link', target: 'customer', required: true },
      { name: 'lines', label: label('Lines'), kind: 'children', target: 'order_line' },
      { name: 'labels', label: label('Labels'), kind: 'multi_link', target: 'label' },
    ],
  },
];

describe('records with lines and many-to-many links', () => {
  let s: TestServer;
  let customer: string;
  const product: Record<string, string> = {};
  const lbl: Record<string, string> = {};

  const rows = async (table: string) => {
    const { rows } = await s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${s.tenant.schemaName}"."${table}"`,
    );
    return rows[0]!.n;
  };
  const snapshot = async () => ({
    orders: await rows('sales_order'),
    lines: await rows('order_line'),
    links: await rows('sales_order__labels'),
  });
  const line = (p: string, quantity: string, unit_price: string) => ({
    product: product[p],
    quantity,
    unit_price,
  });
  const linesOf = (record: JsonBody) =>
    (record.lines as JsonBody[]).map((l) => [
      l.product === product.bolt ? 'bolt' : 'nut',
      l.quantity,
      l.amount,
    ]);
  const create = async (lines: unknown[], extra: Record<string, unknown> = {}) => {
    const r = await s.call('POST', '/api/v1/sales_order', { customer, lines, ...extra });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.data as JsonBody;
  };

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    customer = (await s.call('POST', '/api/v1/customer', { name: 'ACME' })).body.data.id;
    for (const n of ['bolt', 'nut'])
      product[n] = (await s.call('POST', '/api/v1/product', { name: n })).body.data.id;
    for (const n of ['urgent', 'export', 'gift'])
      lbl[n] = (await s.call('POST', '/api/v1/label', { name: n })).body.data.id;
  });
  after(() => s.close());

  it('creates an order with its lines in one go, formulas per line', async () => {
    const order = await create([line('bolt', '3', '0.35'), line('nut', '1.005', '1.00')]);
    assert.equal(order.number, 'SO-001');
    assert.deepEqual(linesOf(order), [
      ['bolt', '3', '1.05'],
      ['nut', '1.005', '1.01'],
    ]);
    const got = (await s.call('GET', `/api/v1/sales_order/${order.id}`)).body.data;
    assert.deepEqual(got.lines, order.lines);
    assert.equal(got.lines[0].unit_price, '0.35');
    const listed = await s.call('GET', `/api/v1/sales_order?filter[id][eq]=${order.id}&expand=lines`);
    assert.deepEqual(listed.body.data.items[0].lines, order.lines);
  });

  it('a bad line refuses the whole order: no order, no lines, no number used', async () => {
    const before = await snapshot();
    const bad = await s.call('POST', '/api/v1/sales_order', {
      customer,
      lines: [line('bolt', '1', '1'), { ...line('nut', '1', '1'), quantity: 2 }],
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(
      bad.body.error.details.map((d: JsonBody) => [d.field, d.code]),
      [['lines.1.quantity', 'type']],
    );
    const negative = await s.call('POST', '/api/v1/sales_order', {
      customer,
      lines: [line('bolt', '1', '1'), line('nut', '-1', '1'), line('nut', '1', '0.001')],
    });
    assert.deepEqual(
      negative.body.error.details.map((d: JsonBody) => [d.field, d.code]),
      [
        ['lines.1.quantity', 'min'],
        ['lines.2.unit_price', 'scale'],
      ],
    );
    // Fails in the database, after the order row was inserted: rolled back as a whole.
    const dangling = await s.call('POST', '/api/v1/sales_order', {
      customer,
      lines: [line('bolt', '1', '1'), { ...line('nut', '1', '1'), product: randomUUID() }],
    });
    assert.equal(dangling.status, 422);
    assert.equal(dangling.body.error.code, 'REFERENCE_NOT_FOUND');
    assert.deepEqual(await snapshot(), before);
    const next = await create([]);
    assert.equal(next.number, 'SO-002');
    assert.deepEqual(next.lines, []);
  });

  it('PATCH replaces lines: keeps and changes by id, adds without id, removes the rest, in the order given', async () => {
    const order = await create([
      line('bolt', '1', '2.00'),
      line('nut', '2', '2.00'),
      line('bolt', '3', '2.00'),
    ]);
    const [a, b, c] = order.lines as JsonBody[];
    const linesBefore = await rows('order_line');
    const r = await s.call('PATCH', `/api/v1/sales_order/${order.id}`, {
      lines: [{ id: c!.id, quantity: '4' }, line('nut', '0.5', '3.10'), { id: a!.id }],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.data.version, 2);
    const expected = [
      ['bolt', '4', '8'],
      ['nut', '0.5', '1.55'],
      ['bolt', '1', '2'],
    ];
    assert.deepEqual(linesOf(r.body.data), expected);
    const got = (await s.call('GET', `/api/v1/sales_order/${order.id}`)).body.data;
    assert.deepEqual(linesOf(got), expected);
    assert.deepEqual(
      got.lines.map((l: JsonBody) => l.id),
      [c!.id, r.body.data.lines[1].id, a!.id],
    );
    assert.equal(got.lines[0].version, 2, 'a kept line is updated');
    assert.equal(
      got.lines.some((l: JsonBody) => l.id === b!.id),
      false,
    );
    assert.equal(await rows('order_line'), linesBefore);
  });

  it('a line added after kept lines comes last', async () => {
    const order = await create([line('bolt', '1', '1'), line('nut', '2', '1')]);
    const [a, b] = order.lines as JsonBody[];
    await s.call('PATCH', `/api/v1/sales_order/${order.id}`, {
      lines: [{ id: a!.id }, { id: b!.id }, line('bolt', '9', '1')],
    });
    const got = (await s.call('GET', `/api/v1/sales_order/${order.id}`)).body.data;
    assert.deepEqual(
      got.lines.map((l: JsonBody) => l.quantity),
      ['1', '2', '9'],
    );
  });

  it('refuses an unknown, foreign or repeated line id, changing nothing', async () => {
    const order = await create([line('bolt', '1', '1')]);
    const other = await create([line('nut', '1', '1')]);
    const [mine] = order.lines as JsonBody[];
    const cases: [unknown[], string, string][] = [
      [[{ id: mine!.id }, { id: randomUUID(), quantity: '2' }], 'lines.1.id', 'unknown_line'],
      [[{ id: other.lines[0].id, quantity: '5' }], 'lines.0.id', 'unknown_line'],
      [[{ id: mine!.id }, { id: mine!.id, quantity: '7' }], 'lines.1.id', 'duplicate_line'],
      [[{ id: mine!.id, quantity: '-1' }], 'lines.0.quantity', 'min'],
      [[{ id: mine!.id, amount: '1' }], 'lines.0.amount', 'unknown_field'],
    ];
    for (const [lines, field, code] of cases) {
      const r = await s.call('PATCH', `/api/v1/sales_order/${order.id}`, { lines });
      assert.equal(r.status, 422, JSON.stringify(r.body));
      assert.deepEqual(
        r.body.error.details.map((d: JsonBody) => [d.field, d.code]),
        [[field, code]],
      );
    }
    const got = (await s.call('GET', `/api/v1/sales_order/${order.id}`)).body.data;
    assert.equal(got.version, 1);
    assert.deepEqual(got.lines, order.lines);
    const theirs = (await s.call('GET', `/api/v1/sales_order/${other.id}`)).body.data;
    assert.deepEqual(theirs.lines, other.lines);
  });

  it('a patch without lines keeps them; an empty list removes them all', async () => {
    const order = await create([line('bolt', '1', '1'), line('nut', '1', '1')]);
    const kept = await s.call('PATCH', `/api/v1/sales_order/${order.id}`, { labels: [lbl.gift] });
    assert.equal(kept.status, 200);
    assert.deepEqual((await s.call('GET', `/api/v1/sales_order/${order.id}`)).body.data.lines, order.lines);
    const cleared = await s.call('PATCH', `/api/v1/sales_order/${order.id}`, { lines: [] });
    assert.deepEqual(cleared.body.data.lines, []);
    assert.deepEqual((await s.call('GET', `/api/v1/sales_order/${order.id}`)).body.data.lines, []);
  });

  it('deleting an order deletes its lines and links, not the linked records', async () => {
    const order = await create([line('bolt', '1', '1'), line('nut', '1', '1')], { labels: [lbl.urgent] });
    const before = await snapshot();
    const del = await s.call('DELETE', `/api/v1/sales_order/${order.id}`);
    assert.equal(del.status, 200, JSON.stringify(del.body));
    assert.deepEqual(await snapshot(), {
      orders: before.orders - 1,
      lines: before.lines - 2,
      links: before.links - 1,
    });
    assert.equal((await s.call('GET', `/api/v1/label/${lbl.urgent}`)).status, 200);
    assert.equal((await s.call('GET', `/api/v1/product/${product.bolt}`)).status, 200);
  });

  it('a line entity has no endpoints of its own', async () => {
    const order = await create([line('bolt', '1', '1')]);
    const lineId = order.lines[0].id;
    const calls: [Parameters<TestServer['call']>[0], string, unknown?][] = [
      ['GET', '/api/v1/order_line'],
      ['POST', '/api/v1/order_line', line('bolt', '1', '1')],
      ['GET', `/api/v1/order_line/${lineId}`],
      ['PATCH', `/api/v1/order_line/${lineId}`, { quantity: '2' }],
      ['DELETE', `/api/v1/order_line/${lineId}`],
    ];
    for (const [method, url, body] of calls) {
      const r = await s.call(method, url, body);
      assert.equal(r.status, 400, `${method} ${url}`);
      assert.equal(r.body.error.code, 'META_ENTITY_IS_CHILD');
    }
    const got = (await s.call('GET', `/api/v1/sales_order/${order.id}`)).body.data;
    assert.deepEqual(got.lines, order.lines);
  });

  it('many-to-many links: set, replace, clear, filter', async () => {
    const { urgent, export: exp, gift } = lbl as Record<string, string>;
    const order = await create([], { labels: [gift, urgent] });
    assert.deepEqual(order.labels, [gift, urgent].sort());
    const replaced = await s.call('PATCH', `/api/v1/sales_order/${order.id}`, { labels: [exp, urgent] });
    assert.deepEqual(replaced.body.data.labels, [exp, urgent].sort());
    assert.deepEqual(
      (await s.call('GET', `/api/v1/sales_order/${order.id}`)).body.data.labels,
      [exp, urgent].sort(),
    );
    const byLabel = async (id: string) =>
      (await s.call('GET', `/api/v1/sales_order?filter[labels][eq]=${id}&fields=id`)).body.data.items.map(
        (i: JsonBody) => i.id,
      );
    assert.deepEqual(await byLabel(exp!), [order.id]);
    assert.equal((await byLabel(gift!)).includes(order.id), false, 'gift was replaced');
    const before = await snapshot();
    const dangling = await s.call('PATCH', `/api/v1/sales_order/${order.id}`, {
      labels: [gift, randomUUID()],
    });
    assert.equal(dangling.status, 422);
    assert.equal(dangling.body.error.code, 'REFERENCE_NOT_FOUND');
    assert.deepEqual(
      dangling.body.error.details.map((d: JsonBody) => d.field),
      ['labels'],
    );
    assert.deepEqual(await snapshot(), before);
    assert.deepEqual(
      (await s.call('GET', `/api/v1/sales_order/${order.id}`)).body.data.labels,
      [exp, urgent].sort(),
    );
    const cleared = await s.call('PATCH', `/api/v1/sales_order/${order.id}`, { labels: [] });
    assert.deepEqual(cleared.body.data.labels, []);
    assert.deepEqual(await byLabel(exp!), []);
  });

  it('a link to a record that does not exist is 422 REFERENCE_NOT_FOUND', async () => {
    const before = await snapshot();
    const r = await s.call('POST', '/api/v1/sales_order', { customer: randomUUID(), labels: [lbl.gift] });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'REFERENCE_NOT_FOUND');
    assert.deepEqual(r.body.error.details[0].field, 'customer');
    assert.deepEqual(await snapshot(), before);
  });
});
