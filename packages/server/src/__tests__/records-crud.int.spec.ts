/**
 * The generated CRUD API round-trips every field kind exactly: decimals as strings with their scale,
 * dates as YYYY-MM-DD, instants as UTC ISO, formulas as exact decimals, numbers from the series.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
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
    name: 'item_part',
    label: label('Part'),
    childOf: 'item',
    fields: [
      { name: 'note', label: label('Note'), kind: 'string' },
      { name: 'qty', label: label('Qty'), kind: 'quantity' },
    ],
  },
  {
    name: 'item',
    label: label('Item'),
    fields: [
      {
        name: 'code',
        label: label('Code'),
        kind: 'sequence',
        sequence: { pattern: 'ITM-{YYYY}{MM}-{SEQ:4}' },
      },
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
      { name: 'unit_price', label: label('Unit price'), kind: 'money' },
      {
        name: 'currency',
        label: label('Currency'),
        kind: 'select',
        options: ['CNY', 'JPY', 'USD'].map((c) => ({ value: c, label: label(c) })),
      },
      { name: 'foreign_price', label: label('Foreign price'), kind: 'money', currencyField: 'currency' },
      { name: 'quantity', label: label('Quantity'), kind: 'quantity' },
      { name: 'active', label: label('Active'), kind: 'boolean' },
      { name: 'due', label: label('Due'), kind: 'date' },
      { name: 'seen_at', label: label('Seen at'), kind: 'datetime' },
      { name: 'opens', label: label('Opens'), kind: 'time' },
      {
        name: 'status',
        label: label('Status'),
        kind: 'select',
        options: [
          { value: 'draft', label: label('Draft') },
          { value: 'done', label: label('Done') },
        ],
      },
      { name: 'customer', label: label('Customer'), kind: 'link', target: 'customer' },
      { name: 'parts', label: label('Parts'), kind: 'children', target: 'item_part' },
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

async function upload(s: TestServer, filename: string, contentType: string, content: Buffer) {
  const boundary = `----tenon-${randomUUID()}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      authorization: `Bearer ${s.adminToken}`,
    },
    payload,
  });
  return { status: res.statusCode, body: JSON.parse(res.body) as JsonBody };
}

/** The series prefix of this month in the tenant's time zone, e.g. `ITM-202501-`. */
function thisMonthPrefix(s: TestServer): string {
  const ym = new Intl.DateTimeFormat('en-CA', {
    timeZone: s.tenant.settings.timeZone ?? 'UTC',
    year: 'numeric',
    month: '2-digit',
  }).format(new Date());
  return `ITM-${ym.replace('-', '')}-`;
}

describe('records CRUD: every field kind', () => {
  let s: TestServer;
  let customerId: string;
  let tagIds: string[];
  const fileBytes = Buffer.from([0x00, 0xff, 0x10, 0x89, ...Buffer.from('PNG 图像 bytes')]);
  let fileId: string;

  const count = async () => {
    const r = await s.call('GET', '/api/v1/item?total=true&pageSize=1');
    assert.equal(r.status, 200);
    return r.body.data.total as number;
  };

  before(async () => {
    s = await createTestServer();
    await s.define(DEFINITIONS);
    customerId = (await s.call('POST', '/api/v1/customer', { name: 'ACME' })).body.data.id;
    const t1 = (await s.call('POST', '/api/v1/tag', { name: 'red' })).body.data.id;
    const t2 = (await s.call('POST', '/api/v1/tag', { name: 'blue' })).body.data.id;
    tagIds = [t1, t2];
    const up = await upload(s, 'photo.png', 'image/png', fileBytes);
    assert.equal(up.status, 201, JSON.stringify(up.body));
    fileId = up.body.data.id;
  });
  after(() => s.close());

  it('uploads a file and serves its exact bytes back', async () => {
    const sha256 = createHash('sha256').update(fileBytes).digest('hex');
    const raw = await s.app.inject({
      method: 'GET',
      url: `/api/v1/files/${fileId}`,
      headers: { authorization: `Bearer ${s.adminToken}` },
    });
    assert.equal(raw.statusCode, 200);
    assert.equal(raw.headers['content-type'], 'image/png');
    assert.deepEqual(raw.rawPayload, fileBytes);
    const again = await upload(s, 'photo.png', 'image/png', fileBytes);
    assert.equal(again.body.data.sha256, sha256);
    assert.equal(again.body.data.size, fileBytes.length);
    const missing = await s.call('GET', `/api/v1/files/${randomUUID()}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'NOT_FOUND');
  });

  it('creates, reads and lists a record with every kind, values exact', async () => {
    const created = await s.call('POST', '/api/v1/item', {
      name: 'Widget A-1',
      notes: '多行\n文本 with "quotes"',
      rank: 7,
      ratio: '12.5',
      unit_price: '3.3',
      currency: 'USD',
      foreign_price: '19.9',
      quantity: '2.500',
      active: true,
      due: '2024-02-29',
      seen_at: '2025-01-07T10:30:00+08:00',
      opens: '09:30',
      status: 'draft',
      customer: customerId,
      parts: [
        { note: 'bolt', qty: '4' },
        { note: 'nut', qty: '0.125' },
      ],
      tags: [tagIds[1], tagIds[0]],
      extra: { colour: 'red', sizes: [1, 2.5], nested: { ok: true, none: null } },
      photo: fileId,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.code, 201);
    assert.equal(created.headers.etag, '"1"');
    const rec = created.body.data;
    const expected = {
      code: `${thisMonthPrefix(s)}0001`,
      name: 'Widget A-1',
      notes: '多行\n文本 with "quotes"',
      rank: 7,
      ratio: '12.50',
      unit_price: '3.30',
      currency: 'USD',
      foreign_price: '19.90',
      quantity: '2.5',
      active: true,
      due: '2024-02-29',
      seen_at: '2025-01-07T02:30:00.000Z',
      opens: '09:30:00',
      status: 'draft',
      customer: customerId,
      tags: [...tagIds].sort(),
      extra: { colour: 'red', sizes: [1, 2.5], nested: { ok: true, none: null } },
      photo: fileId,
      amount: '8.25',
      version: 1,
    };
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(rec[k], v, k);
    assert.deepEqual(
      rec.parts.map((p: JsonBody) => [p.note, p.qty]),
      [
        ['bolt', '4'],
        ['nut', '0.125'],
      ],
    );
    assert.equal(rec.created_at, rec.updated_at);
    assert.match(rec.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const got = await s.call('GET', `/api/v1/item/${rec.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.headers.etag, '"1"');
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(got.body.data[k], v, k);
    assert.deepEqual(got.body.data.parts, rec.parts);

    const list = await s.call('GET', `/api/v1/item?filter[id][eq]=${rec.id}&total=true`);
    assert.equal(list.body.data.total, 1);
    const listed = list.body.data.items[0];
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(listed[k], v, k);
    assert.equal('parts' in listed, false, 'lists load lines only when expanded');

    const expanded = await s.call('GET', `/api/v1/item/${rec.id}?expand=photo,customer`);
    assert.deepEqual(expanded.body.data.photo, {
      id: fileId,
      name: 'photo.png',
      contentType: 'image/png',
      size: fileBytes.length,
      sha256: createHash('sha256').update(fileBytes).digest('hex'),
    });
    assert.equal(expanded.body.data.customer.name, 'ACME');
  });

  it('money takes its scale from the currency field: JPY has none, USD two', async () => {
    const yen = await s.call('POST', '/api/v1/item', { name: 'Yen', currency: 'JPY', foreign_price: '1500' });
    assert.equal(yen.status, 201, JSON.stringify(yen.body));
    assert.equal(yen.body.data.foreign_price, '1500');
    const before = await count();
    const bad = await s.call('POST', '/api/v1/item', { name: 'Yen', currency: 'JPY', foreign_price: '1.5' });
    assert.equal(bad.status, 422);
    assert.deepEqual(
      bad.body.error.details.map((d: JsonBody) => [d.field, d.code]),
      [['foreign_price', 'scale']],
    );
    assert.equal(await count(), before);
    // A patch without the currency is checked against the record's currency.
    const patch = await s.call('PATCH', `/api/v1/item/${yen.body.data.id}`, { foreign_price: '1.5' });
    assert.equal(patch.status, 422, JSON.stringify(patch.body));
    assert.equal(patch.body.error.details[0].field, 'foreign_price');
    const usd = await s.call('POST', '/api/v1/item', { name: 'Usd', currency: 'USD', foreign_price: '0.5' });
    assert.equal(usd.body.data.foreign_price, '0.50');
    // Switching to JPY would leave cents behind.
    const toYen = await s.call('PATCH', `/api/v1/item/${usd.body.data.id}`, { currency: 'JPY' });
    assert.equal(toYen.status, 422, JSON.stringify(toYen.body));
    assert.equal(toYen.body.error.details[0].field, 'foreign_price');
    const stored = await s.call('GET', `/api/v1/item/${usd.body.data.id}?fields=currency,foreign_price`);
    assert.equal(stored.body.data.currency, 'USD');
    assert.equal(stored.body.data.foreign_price, '0.50');
    // Without a currency field value, the tenant's default (CNY, 2 places) applies.
    const cny = await s.call('POST', '/api/v1/item', { name: 'Cny', foreign_price: '7', unit_price: '0.1' });
    assert.equal(cny.body.data.foreign_price, '7.00');
    assert.equal(cny.body.data.unit_price, '0.10');
  });

  it('computes formulas in exact decimals, also after a patch', async () => {
    // 1.005 * 1.00 is 1.00499999... in binary floating point; exact decimal rounds half-up to 1.01.
    const r = await s.call('POST', '/api/v1/item', { name: 'Exact', quantity: '1.005', unit_price: '1.00' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.data.amount, '1.01');
    const p = await s.call('PATCH', `/api/v1/item/${r.body.data.id}`, { quantity: '0.1', unit_price: '0.3' });
    assert.equal(p.body.data.amount, '0.03');
    const q = await s.call('PATCH', `/api/v1/item/${r.body.data.id}`, { quantity: null });
    assert.equal(q.body.data.amount, null);
    const ro = await s.call('PATCH', `/api/v1/item/${r.body.data.id}`, { amount: '5' });
    assert.equal(ro.status, 422);
    assert.deepEqual(
      ro.body.error.details.map((d: JsonBody) => [d.field, d.code]),
      [['amount', 'read_only']],
    );
  });

  it('numbers records from the series, and the number is read-only', async () => {
    const prefix = thisMonthPrefix(s);
    const listed = await s.call('GET', '/api/v1/item?sort=code&fields=code&pageSize=500');
    const codes = listed.body.data.items.map((i: JsonBody) => i.code);
    const expected = codes.map((_: string, i: number) => `${prefix}${String(i + 1).padStart(4, '0')}`);
    assert.deepEqual(codes, expected);
    const next = await s.call('POST', '/api/v1/item', { name: 'Next' });
    assert.equal(next.body.data.code, `${prefix}${String(codes.length + 1).padStart(4, '0')}`);
    const given = await s.call('POST', '/api/v1/item', { name: 'Mine', code: 'ITM-X' });
    assert.equal(given.status, 422);
    assert.deepEqual(
      given.body.error.details.map((d: JsonBody) => [d.field, d.code]),
      [['code', 'read_only']],
    );
    const patched = await s.call('PATCH', `/api/v1/item/${next.body.data.id}`, { code: 'ITM-X' });
    assert.equal(patched.status, 422);
    const after = await s.call('POST', '/api/v1/item', { name: 'After' });
    assert.equal(after.body.data.code, `${prefix}${String(codes.length + 2).padStart(4, '0')}`);
  });

  it('patches only the given fields and bumps the version', async () => {
    const r = await s.call('POST', '/api/v1/item', {
      name: 'Patchy',
      rank: 3,
      notes: 'keep me',
      due: '2025-01-31',
      tags: [tagIds[0]],
    });
    const id = r.body.data.id;
    const p = await s.call('PATCH', `/api/v1/item/${id}`, { rank: 4, due: null, opens: '23:59:59' });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    assert.equal(p.body.code, 200);
    assert.equal(p.headers.etag, '"2"');
    const got = (await s.call('GET', `/api/v1/item/${id}`)).body.data;
    assert.equal(got.version, 2);
    assert.equal(got.rank, 4);
    assert.equal(got.due, null);
    assert.equal(got.opens, '23:59:59');
    assert.equal(got.notes, 'keep me');
    assert.equal(got.name, 'Patchy');
    assert.equal(got.code, r.body.data.code);
    assert.deepEqual(got.tags, [tagIds[0]]);
    assert.ok(got.updated_at >= got.created_at);
    assert.equal(got.created_at, r.body.data.created_at);
    const empty = await s.call('PATCH', `/api/v1/item/${id}`, {});
    assert.equal(empty.status, 200);
    assert.equal(empty.body.data.version, 2, 'an empty patch changes nothing');
  });

  it('links an attachment, refuses an unknown file, and expands it in lists', async () => {
    const bad = await s.call('POST', '/api/v1/item', { name: 'Nofile', photo: randomUUID() });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, 'REFERENCE_NOT_FOUND');
    assert.deepEqual(
      bad.body.error.details.map((d: JsonBody) => d.field),
      ['photo'],
    );
    const r = await s.call('POST', '/api/v1/item', { name: 'Photo', photo: fileId });
    const list = await s.call(
      'GET',
      `/api/v1/item?filter[id][eq]=${r.body.data.id}&expand=photo&fields=photo`,
    );
    assert.equal(list.body.data.items[0].photo.name, 'photo.png');
    assert.equal(list.body.data.items[0].photo.size, fileBytes.length);
    const cleared = await s.call('PATCH', `/api/v1/item/${r.body.data.id}`, { photo: null });
    assert.equal(cleared.body.data.photo, null);
  });

  it('deletes a record with its lines and links; a second delete is 404', async () => {
    const r = await s.call('POST', '/api/v1/item', {
      name: 'Gone',
      parts: [{ note: 'x', qty: '1' }],
      tags: tagIds,
    });
    const before = await count();
    const del = await s.call('DELETE', `/api/v1/item/${r.body.data.id}`);
    assert.equal(del.status, 200, JSON.stringify(del.body));
    assert.deepEqual(del.body.data, { id: r.body.data.id, deleted: true });
    assert.equal(await count(), before - 1);
    const got = await s.call('GET', `/api/v1/item/${r.body.data.id}`);
    assert.equal(got.status, 404);
    assert.equal(got.body.error.code, 'RECORD_NOT_FOUND');
    const again = await s.call('DELETE', `/api/v1/item/${r.body.data.id}`);
    assert.equal(again.status, 404);
    // Its tags were only linked: they are still there.
    const tag = await s.call('GET', `/api/v1/tag/${tagIds[0]}`);
    assert.equal(tag.status, 200);
  });
});
