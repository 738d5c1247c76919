/**
 * Bad values of every field kind: a 422 that names the field, and nothing written — no record, no
 * line, no link, no number taken from the series, and a patched record left as it was.
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
  { name: 'tag', label: label('Tag'), fields: [{ name: 'name', label: label('Name'), kind: 'string' }] },
  {
    name: 'gadget_part',
    label: label('Part'),
    childOf: 'gadget',
    fields: [
      { name: 'note', label: label('Note'), kind: 'string', required: true },
      { name: 'qty', label: label('Qty'), kind: 'quantity' },
    ],
  },
  {
    name: 'gadget',
    label: label('Gadget'),
    fields: [
      { name: 'code', label: label('Code'), kind: 'sequence', sequence: { pattern: 'G-{SEQ:4}' } },
      {
        name: 'name',
        label: label('Name'),
        kind: 'string',
        required: true,
        maxLength: 20,
        pattern: '^[A-Z]',
      },
      { name: 'notes', label: label('Notes'), kind: 'text' },
      { name: 'rank', label: label('Rank'), kind: 'integer', min: 1, max: 100 },
      { name: 'ratio', label: label('Ratio'), kind: 'decimal', precision: 10, scale: 2 },
      { name: 'unit_price', label: label('Unit price'), kind: 'money', min: '0' },
      {
        name: 'currency',
        label: label('Currency'),
        kind: 'select',
        options: ['CNY', 'JPY'].map((c) => ({ value: c, label: label(c) })),
      },
      { name: 'foreign_price', label: label('Foreign price'), kind: 'money', currencyField: 'currency' },
      { name: 'quantity', label: label('Quantity'), kind: 'quantity' },
      { name: 'active', label: label('Active'), kind: 'boolean' },
      { name: 'due', label: label('Due'), kind: 'date', min: '2000-01-01' },
      { name: 'seen_at', label: label('Seen at'), kind: 'datetime' },
      { name: 'opens', label: label('Opens'), kind: 'time' },
      {
        name: 'status',
        label: label('Status'),
        kind: 'select',
        options: [{ value: 'draft', label: label('Draft') }],
      },
      { name: 'customer', label: label('Customer'), kind: 'link', target: 'customer' },
      { name: 'parts', label: label('Parts'), kind: 'children', target: 'gadget_part' },
      { name: 'tags', label: label('Tags'), kind: 'multi_link', target: 'tag' },
      { name: 'extra', label: label('Extra'), kind: 'json' },
      { name: 'photo', label: label('Photo'), kind: 'attachment' },
      {
        name: 'amount',
        label: label('Amount'),
        kind: 'formula',
        resultKind: 'decimal',
        expression: 'round(quantity * unit_price, 2)',
      },
    ],
  },
];

const deep = (levels: number): unknown => (levels === 0 ? 'x' : [deep(levels - 1)]);

/** [what, body fields, field in details, detail code] — each body also has a valid name. */
const BAD_VALUES: [string, Record<string, unknown>, string, string][] = [
  ['string too long', { name: 'A'.repeat(21) }, 'name', 'too_long'],
  ['string against pattern', { name: 'lower' }, 'name', 'pattern'],
  ['string as number', { name: 42 }, 'name', 'type'],
  ['string with NUL', { name: 'A\u0000B' }, 'name', 'nul_character'],
  ['text as object', { notes: { a: 1 } }, 'notes', 'type'],
  ['text with NUL', { notes: 'x\u0000' }, 'notes', 'nul_character'],
  ['integer below min', { rank: 0 }, 'rank', 'min'],
  ['integer above max', { rank: 101 }, 'rank', 'max'],
  ['integer with a fraction', { rank: 1.5 }, 'rank', 'type'],
  ['integer as string', { rank: '5' }, 'rank', 'type'],
  ['decimal with 3 places', { ratio: '1.234' }, 'ratio', 'scale'],
  ['decimal too many digits', { ratio: '123456789' }, 'ratio', 'precision'],
  ['decimal as JSON number', { ratio: 1.5 }, 'ratio', 'type'],
  ['decimal in exponent form', { ratio: '1e3' }, 'ratio', 'decimal'],
  ['money as JSON number', { unit_price: 12.5 }, 'unit_price', 'type'],
  ['money with 3 places in CNY', { unit_price: '1.234' }, 'unit_price', 'scale'],
  ['money below min', { unit_price: '-0.01' }, 'unit_price', 'min'],
  ['money with a comma', { unit_price: '1,50' }, 'unit_price', 'decimal'],
  ['JPY money with a fraction', { currency: 'JPY', foreign_price: '1.5' }, 'foreign_price', 'scale'],
  ['quantity with 7 places', { quantity: '1.1234567' }, 'quantity', 'scale'],
  ['quantity as JSON number', { quantity: 3 }, 'quantity', 'type'],
  ['boolean as string', { active: 'yes' }, 'active', 'type'],
  ['date that does not exist', { due: '2025-02-29' }, 'due', 'format'],
  ['date with slashes', { due: '2025/01/01' }, 'due', 'format'],
  ['date below min', { due: '1999-12-31' }, 'due', 'min'],
  ['naive datetime', { seen_at: '2025-01-07T10:30:00' }, 'seen_at', 'format'],
  ['datetime as a date', { seen_at: '2025-01-07' }, 'seen_at', 'format'],
  ['time past midnight', { opens: '24:00' }, 'opens', 'format'],
  ['time without padding', { opens: '9:30' }, 'opens', 'format'],
  ['select option unknown', { status: 'archived' }, 'status', 'enum'],
  ['link not an id', { customer: 'acme' }, 'customer', 'format'],
  ['children not a list', { parts: 'bolt' }, 'parts', 'type'],
  [
    'line quantity as JSON number',
    {
      parts: [
        { note: 'a', qty: '1' },
        { note: 'b', qty: 2 },
      ],
    },
    'parts.1.qty',
    'type',
  ],
  ['line without its required field', { parts: [{ qty: '1' }] }, 'parts.0.note', 'required'],
  ['line with 7 decimals', { parts: [{ note: 'a', qty: '0.0000001' }] }, 'parts.0.qty', 'scale'],
  ['multi_link with a duplicate', { tags: ['TAG', 'TAG'] }, 'tags', 'duplicate_items'],
  ['multi_link item not an id', { tags: ['red'] }, 'tags.0', 'format'],
  ['json with NUL', { extra: { note: 'a\u0000' } }, 'extra', 'nul_character'],
  ['json nested too deep', { extra: deep(150) }, 'extra', 'too_deep'],
  ['attachment not an id', { photo: 'photo.png' }, 'photo', 'format'],
  ['formula given', { amount: '1.00' }, 'amount', 'read_only'],
  ['sequence given', { code: 'G-9999' }, 'code', 'read_only'],
  ['unknown field', { colour: 'red' }, 'colour', 'unknown_field'],
  ['system field version', { version: 9 }, 'version', 'unknown_field'],
  ['system field created_at', { created_at: '2025-01-01T00:00:00Z' }, 'created_at', 'unknown_field'],
  ['system field id', { id: '0190a0a0-0000-7000-8000-000000000000' }, 'id', 'unknown_field'],
];

describe('records validation: a bad value of any kind writes nothing', () => {
  let s: TestServer;
  let tagId: string;
  let firstId: string;

  const tableCount = async (table: string) => {
    const { rows } = await s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${s.tenant.schemaName}"."${table}"`,
    );
    return rows[0]!.n;
  };
  const snapshot = async () => ({
    gadgets: await tableCount('gadget'),
    parts: await tableCount('gadget_part'),
    links: await tableCount('gadget__tags'),
  });

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    tagId = (await s.call('POST', '/api/v1/tag', { name: 'red' })).body.data.id;
    const first = await s.call('POST', '/api/v1/gadget', {
      name: 'First',
      rank: 5,
      parts: [{ note: 'kept', qty: '1' }],
      tags: [tagId],
    });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.data.code, 'G-0001');
    firstId = first.body.data.id;
  });
  after(() => s.close());

  for (const [what, fields, field, code] of BAD_VALUES) {
    it(`refuses ${what}: 422 at ${field}, on create and on patch`, async () => {
      const body = JSON.parse(JSON.stringify({ name: 'Valid', ...fields }).replaceAll('"TAG"', `"${tagId}"`));
      const before = await snapshot();
      const created = await s.call('POST', '/api/v1/gadget', body);
      assert.equal(created.status, 422, JSON.stringify(created.body));
      assert.equal(created.body.error.code, 'VALIDATION_FAILED');
      assert.ok(
        created.body.error.details.some((d: JsonBody) => d.field === field && d.code === code),
        JSON.stringify(created.body.error.details),
      );
      assert.deepEqual(await snapshot(), before);

      const original = (await s.call('GET', `/api/v1/gadget/${firstId}`)).body.data;
      const patched = await s.call('PATCH', `/api/v1/gadget/${firstId}`, body);
      assert.equal(patched.status, 422, JSON.stringify(patched.body));
      assert.ok(patched.body.error.details.some((d: JsonBody) => d.field === field));
      assert.deepEqual((await s.call('GET', `/api/v1/gadget/${firstId}`)).body.data, original);
      assert.deepEqual(await snapshot(), before);
    });
  }

  it('refuses a missing required field and a body that is not an object', async () => {
    const before = await snapshot();
    const missing = await s.call('POST', '/api/v1/gadget', { rank: 5 });
    assert.equal(missing.status, 422);
    assert.deepEqual(
      missing.body.error.details.map((d: JsonBody) => [d.field, d.code]),
      [['name', 'required']],
    );
    const nulled = await s.call('PATCH', `/api/v1/gadget/${firstId}`, { name: null });
    assert.equal(nulled.status, 422);
    assert.equal(nulled.body.error.details[0].field, 'name');
    for (const body of [[{ name: 'A' }], 'A', 42]) {
      const r = await s.call('POST', '/api/v1/gadget', body);
      assert.equal(r.status, 422, JSON.stringify(body));
      assert.deepEqual(
        r.body.error.details.map((d: JsonBody) => [d.field, d.code]),
        [['', 'type']],
      );
    }
    assert.deepEqual(await snapshot(), before);
  });

  it('lists every bad field at once', async () => {
    const r = await s.call('POST', '/api/v1/gadget', { name: 'lower', rank: 0, due: 'soon', extra: [] });
    assert.equal(r.status, 422);
    assert.deepEqual(r.body.error.details.map((d: JsonBody) => d.field).sort(), ['due', 'name', 'rank']);
  });

  it('refuses links to records that do not exist, and rolls the whole create back', async () => {
    const before = await snapshot();
    const missing = randomUUID();
    const cases: [Record<string, unknown>, string][] = [
      [{ customer: missing }, 'customer'],
      [{ tags: [tagId, missing] }, 'tags'],
      [{ photo: missing }, 'photo'],
    ];
    for (const [fields, field] of cases) {
      const r = await s.call('POST', '/api/v1/gadget', {
        name: 'Dangling',
        parts: [{ note: 'x' }],
        ...fields,
      });
      assert.equal(r.status, 422, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'REFERENCE_NOT_FOUND');
      assert.deepEqual(
        r.body.error.details.map((d: JsonBody) => d.field),
        [field],
      );
      const p = await s.call('PATCH', `/api/v1/gadget/${firstId}`, fields);
      assert.equal(p.status, 422);
      assert.equal(p.body.error.code, 'REFERENCE_NOT_FOUND');
    }
    assert.deepEqual(await snapshot(), before);
    const got = (await s.call('GET', `/api/v1/gadget/${firstId}`)).body.data;
    assert.equal(got.version, 1);
    assert.deepEqual(got.tags, [tagId]);
  });

  it('took no number from the series for any refused create', async () => {
    const next = await s.call('POST', '/api/v1/gadget', { name: 'Second' });
    assert.equal(next.status, 201);
    assert.equal(next.body.data.code, 'G-0002');
  });
});
