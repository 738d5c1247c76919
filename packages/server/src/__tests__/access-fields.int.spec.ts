/**
 * Field-level access: hidden fields are absent from every response (records, lines, expanded links,
 * history) and do not exist for queries (the same 400 as an unknown field); read-only and hidden
 * fields cannot be written (403 naming them), and a refused write changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });
const text = (name: string) => ({ name, label: label(name), kind: 'string' });

const DEFINITIONS = [
  { name: 'customer', label: label('Customer'), fields: [text('name'), text('secret'), text('region')] },
  { name: 'product', label: label('Product'), fields: [text('name')] },
  {
    name: 'order_line',
    label: label('Order line'),
    childOf: 'sales_order',
    fields: [
      { name: 'product', label: label('Product'), kind: 'link', target: 'product', required: true },
      { name: 'quantity', label: label('Quantity'), kind: 'quantity', required: true },
      { name: 'unit_cost', label: label('Unit cost'), kind: 'money' },
    ],
  },
  {
    name: 'sales_order',
    label: label('Sales order'),
    fields: [
      { name: 'customer', label: label('Customer'), kind: 'link', target: 'customer', required: true },
      text('title'),
      text('internal_note'),
      text('discount'),
      { name: 'partner', label: label('Partner'), kind: 'link', target: 'customer' },
      { name: 'lines', label: label('Lines'), kind: 'children', target: 'order_line' },
    ],
  },
];

const ROLES = {
  clerk: [
    { entity: 'customer', actions: ['read'], hiddenFields: ['secret'] },
    {
      entity: 'sales_order',
      actions: ['read', 'create', 'update'],
      hiddenFields: ['internal_note', 'partner'],
      readOnlyFields: ['discount'],
    },
    { entity: 'order_line', actions: ['read'], hiddenFields: ['unit_cost'] },
  ],
  /** Reads orders, but customers not at all. */
  blind: [{ entity: 'sales_order', actions: ['read'] }],
  /** Adds up with clerk: sees the internal note (a field stays hidden only if every grant hides it). */
  note_reader: [{ entity: 'sales_order', actions: ['read'], hiddenFields: ['partner'] }],
};

describe('field-level access', () => {
  let s: TestServer;
  let clerk: string;
  let blind: string;
  let both: string;
  let customer: string;
  let product: string;
  let order: JsonBody;

  const en = { 'accept-language': 'en' };
  const get = (token: string, url: string) => s.callAs(token, 'GET', url, undefined, en);
  const count = async (table: string) =>
    (await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${s.tenant.schemaName}"."${table}"`))
      .rows[0]!.n;
  const adminView = async (id: string) => (await s.call('GET', `/api/v1/sales_order/${id}`)).body.data;
  const assertHidden = (record: JsonBody, where: string) => {
    for (const f of ['internal_note', 'partner']) assert.equal(f in record, false, `${f} in ${where}`);
    for (const line of (record.lines as JsonBody[] | undefined) ?? [])
      assert.equal('unit_cost' in line, false, `unit_cost in a line of ${where}`);
  };

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    for (const [name, permissions] of Object.entries(ROLES)) {
      const r = await s.call('PUT', `/api/v1/security/roles/${name}`, { label: label(name), permissions });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    clerk = await s.userWith({ username: 'clerk', roles: ['clerk'] });
    blind = await s.userWith({ username: 'blind', roles: ['blind'] });
    both = await s.userWith({ username: 'both', roles: ['clerk', 'note_reader'] });
    customer = (await s.call('POST', '/api/v1/customer', { name: 'ACME', secret: 's3cret', region: 'N' }))
      .body.data.id;
    product = (await s.call('POST', '/api/v1/product', { name: 'bolt' })).body.data.id;
    const r = await s.call('POST', '/api/v1/sales_order', {
      customer,
      partner: customer,
      title: 'first',
      internal_note: 'margin is thin',
      discount: '5',
      lines: [{ product, quantity: '2', unit_cost: '0.35' }],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    order = r.body.data;
  });
  after(() => s.close());

  it('the administrator sees every field (the control for the checks below)', async () => {
    const r = await s.call('GET', `/api/v1/sales_order/${order.id}?expand=customer`);
    assert.equal(r.body.data.internal_note, 'margin is thin');
    assert.equal(r.body.data.partner, customer);
    assert.equal(r.body.data.lines[0].unit_cost, '0.35');
    assert.equal(r.body.data.customer.secret, 's3cret');
  });

  it('hidden fields are absent from list, get, lines and expanded links', async () => {
    const one = await get(clerk, `/api/v1/sales_order/${order.id}?expand=customer`);
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assertHidden(one.body.data, 'get');
    assert.equal(one.body.data.discount, '5', 'read-only fields are readable');
    assert.equal(one.body.data.lines[0].quantity, '2');
    assert.deepEqual(one.body.data.customer, {
      ...one.body.data.customer,
      name: 'ACME',
      region: 'N',
    });
    assert.equal('secret' in one.body.data.customer, false, 'secret in an expanded customer');
    const list = await get(clerk, '/api/v1/sales_order?expand=customer,lines');
    assert.equal(list.status, 200);
    for (const item of list.body.data.items) {
      assertHidden(item, 'list');
      assert.equal('secret' in item.customer, false);
    }
    const customers = await get(clerk, '/api/v1/customer');
    assert.equal('secret' in customers.body.data.items[0], false);
    assert.equal(customers.body.data.items[0].name, 'ACME');
  });

  it('hidden fields are absent from create and patch responses, lines included', async () => {
    const created = await s.callAs(clerk, 'POST', '/api/v1/sales_order', {
      customer,
      title: 'by clerk',
      lines: [{ product, quantity: '1' }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertHidden(created.body.data, 'create');
    const patched = await s.callAs(clerk, 'PATCH', `/api/v1/sales_order/${order.id}`, {
      title: 'renamed',
      lines: [{ id: order.lines[0].id, quantity: '3' }],
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assertHidden(patched.body.data, 'patch');
    assert.equal(patched.body.data.lines[0].quantity, '3');
    const stored = await adminView(order.id);
    assert.equal(stored.internal_note, 'margin is thin', 'hidden values are kept, not cleared');
    assert.equal(stored.lines[0].unit_cost, '0.35');
  });

  it('roles add up: a field stays hidden only while every granting role hides it', async () => {
    const r = await get(both, `/api/v1/sales_order/${order.id}`);
    assert.equal(r.body.data.internal_note, 'margin is thin');
    assert.equal('partner' in r.body.data, false);
    const sorted = await get(
      both,
      '/api/v1/sales_order?sort=internal_note&filter[internal_note][contains]=thin',
    );
    assert.equal(sorted.status, 200, JSON.stringify(sorted.body));
    assert.deepEqual(
      sorted.body.data.items.map((x: JsonBody) => x.id),
      [order.id],
    );
  });

  /** The same request with a hidden name and with a name that does not exist: the same answer. */
  const sameAsUnknown = async (token: string, url: (name: string) => string, hidden: string) => {
    const unknown = `zz${hidden.slice(2)}`;
    const a = await get(token, url(hidden));
    const b = await get(token, url(unknown));
    assert.equal(a.status, 400, `${url(hidden)}: ${JSON.stringify(a.body)}`);
    assert.equal(a.body.error.code, 'QUERY_INVALID');
    assert.deepEqual(
      [b.status, b.body.error.code, b.body.error.details, b.body.message],
      [a.status, a.body.error.code, a.body.error.details, a.body.message.replaceAll(hidden, unknown)],
      `${url(hidden)} tells more than ${url(unknown)}`,
    );
  };

  it('filter, sort, fields and expand by a hidden field: the 400 of an unknown field', async () => {
    const urls: [(n: string) => string, string][] = [
      [(n) => `/api/v1/sales_order?filter[${n}][eq]=x`, 'internal_note'],
      [(n) => `/api/v1/sales_order?filter[${n}][null]=true`, 'partner'],
      [
        (n) =>
          `/api/v1/sales_order?filter=${encodeURIComponent(
            JSON.stringify({
              or: [
                { field: n, op: 'eq', value: 'x' },
                { field: 'title', op: 'eq', value: 'x' },
              ],
            }),
          )}`,
        'internal_note',
      ],
      [(n) => `/api/v1/sales_order?sort=${n}`, 'internal_note'],
      [(n) => `/api/v1/sales_order?sort=-${n}`, 'internal_note'],
      [(n) => `/api/v1/sales_order?fields=title,${n}`, 'internal_note'],
      [(n) => `/api/v1/sales_order?expand=${n}`, 'partner'],
      [(n) => `/api/v1/sales_order/${order.id}?fields=${n}`, 'internal_note'],
      [(n) => `/api/v1/sales_order/${order.id}?expand=${n}`, 'partner'],
      [(n) => `/api/v1/customer?filter[${n}][contains]=s`, 'secret'],
      [(n) => `/api/v1/customer?sort=${n}`, 'secret'],
      [(n) => `/api/v1/sales_order?filter[customer.${n}][eq]=s3cret`, 'secret'],
      [(n) => `/api/v1/sales_order?filter[${n}.name][eq]=ACME`, 'partner'],
    ];
    for (const [url, hidden] of urls) await sameAsUnknown(clerk, url, hidden);
  });

  it('a link path into an unreadable entity is refused like an unknown field', async () => {
    const visible = await get(blind, `/api/v1/sales_order?filter[title][eq]=renamed`);
    assert.equal(visible.status, 200, 'the role may read orders');
    for (const field of ['secret', 'name']) {
      const r = await get(blind, `/api/v1/sales_order?filter[customer.${field}][eq]=x`);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'QUERY_INVALID');
      const unknown = await get(blind, `/api/v1/sales_order?filter[customer.zz${field}][eq]=x`);
      assert.equal(unknown.body.message, r.body.message.replace(field, `zz${field}`));
    }
    const expanded = await get(blind, `/api/v1/sales_order/${order.id}?expand=customer`);
    assert.equal(expanded.status, 200);
    assert.equal(expanded.body.data.customer, customer, 'an unreadable link stays an id');
    // The same filter works for who may read customers: the refusal above is about access.
    const allowed = await get(clerk, '/api/v1/sales_order?filter[customer.name][eq]=ACME');
    assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
    assert.ok(allowed.body.data.items.length >= 1);
  });

  it('writing a read-only or hidden field: 403 naming the fields, nothing written', async () => {
    const orders = await count('sales_order');
    const lines = await count('order_line');
    const cases: [JsonBody, string[]][] = [
      [{ customer, title: 'x', discount: '50' }, ['discount']],
      [{ customer, title: 'x', internal_note: 'mine' }, ['internal_note']],
      [{ customer, title: 'x', partner: customer, discount: '1' }, ['partner', 'discount']],
      [{ customer, lines: [{ product, quantity: '1', unit_cost: '9' }] }, ['lines.0.unit_cost']],
    ];
    for (const [body, fields] of cases) {
      const r = await s.callAs(clerk, 'POST', '/api/v1/sales_order', body);
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'ACCESS_DENIED');
      assert.deepEqual(r.body.error.details.map((d: JsonBody) => d.field).sort(), [...fields].sort());
    }
    assert.deepEqual([await count('sales_order'), await count('order_line')], [orders, lines]);

    const before = await adminView(order.id);
    const patches: [JsonBody, string[]][] = [
      [{ discount: '50' }, ['discount']],
      [{ title: 'sneaky', internal_note: 'overwritten' }, ['internal_note']],
      [{ partner: null }, ['partner']],
      [{ lines: [{ id: before.lines[0].id, unit_cost: '0' }] }, ['lines.0.unit_cost']],
    ];
    for (const [body, fields] of patches) {
      const r = await s.callAs(clerk, 'PATCH', `/api/v1/sales_order/${order.id}`, body);
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.deepEqual(
        r.body.error.details.map((d: JsonBody) => d.field),
        fields,
      );
    }
    assert.deepEqual(await adminView(order.id), before);
  });

  it('history leaves hidden fields out of before/after', async () => {
    const r = await get(clerk, `/api/v1/sales_order/${order.id}/history`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const text = JSON.stringify(r.body.data.items);
    assert.ok(text.includes('renamed'), 'the visible changes are there');
    for (const leak of ['margin is thin', 'internal_note', 'unit_cost', '0.35'])
      assert.equal(text.includes(leak), false, `history shows ${leak}`);
    const admin = await s.call('GET', `/api/v1/sales_order/${order.id}/history`);
    assert.ok(JSON.stringify(admin.body.data.items).includes('margin is thin'));
  });
});
