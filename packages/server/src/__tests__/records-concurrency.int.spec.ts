/**
 * Concurrency and integrity: optimistic locking (If-Match), references and unique constraints,
 * idempotent retries, gap-free numbering. On PostgreSQL the Promise.all races are real races; on
 * PGlite transactions run one at a time, and the outcome must be the same.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '@tenon/core';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (en: string) => ({ en });

const DEFINITIONS = [
  {
    name: 'account',
    label: label('Account'),
    fields: [
      { name: 'email', label: label('Email'), kind: 'string', unique: true },
      { name: 'name', label: label('Name'), kind: 'string' },
    ],
  },
  {
    name: 'invoice',
    label: label('Invoice'),
    fields: [
      { name: 'qty', label: label('Qty'), kind: 'quantity' },
      { name: 'price', label: label('Price'), kind: 'money' },
      {
        name: 'total',
        label: label('Total'),
        kind: 'formula',
        resultKind: 'decimal',
        expression: 'qty * price',
      },
    ],
  },
  {
    name: 'contact',
    label: label('Contact'),
    fields: [{ name: 'account', label: label('Account'), kind: 'link', target: 'account' }],
  },
  {
    name: 'team',
    label: label('Team'),
    fields: [{ name: 'members', label: label('Members'), kind: 'multi_link', target: 'account' }],
  },
  {
    name: 'price_rule',
    label: label('Price rule'),
    unique: [['account', 'sku']],
    fields: [
      { name: 'account', label: label('Account'), kind: 'link', target: 'account' },
      { name: 'sku', label: label('SKU'), kind: 'string' },
    ],
  },
  {
    name: 'job',
    label: label('Job'),
    fields: [
      {
        name: 'number',
        label: label('Number'),
        kind: 'sequence',
        sequence: { pattern: 'JOB-{YYYY}{MM}{DD}-{SEQ:4}' },
      },
      { name: 'title', label: label('Title'), kind: 'string', unique: true },
      { name: 'account', label: label('Account'), kind: 'link', target: 'account' },
    ],
  },
];

const statusesOf = (rs: { status: number }[]) => rs.map((r) => r.status).sort((a, b) => a - b);

describe('records concurrency and integrity', () => {
  let s: TestServer;
  const count = async (entity: string) =>
    (await s.call('GET', `/api/v1/${entity}?total=true&pageSize=1`)).body.data.total as number;

  before(async () => {
    // 16:30 UTC on 31 March is already 1 April in the tenant's zone (Asia/Shanghai).
    s = await createTestServer({ clock: fixedClock('2025-03-31T16:30:00Z') });
    await s.define(DEFINITIONS);
  });
  after(() => s.close());

  for (const [entity, change] of [
    ['account', (i: number) => ({ name: `writer ${i}` })],
    ['invoice', (i: number) => ({ qty: String(i + 2), price: '1.25' })],
  ] as const) {
    it(`two patches of ${entity} with the same If-Match: exactly one wins`, async () => {
      const created = await s.call(
        'POST',
        `/api/v1/${entity}`,
        entity === 'account' ? {} : { qty: '1', price: '1' },
      );
      const url = `/api/v1/${entity}/${created.body.data.id}`;
      for (let round = 1; round <= 5; round++) {
        const rs = await Promise.all(
          [0, 1].map((i) => s.call('PATCH', url, change(i), { 'if-match': `"${round}"` })),
        );
        assert.deepEqual(statusesOf(rs), [200, 412], JSON.stringify(rs.map((r) => r.body)));
        const winner = rs.find((r) => r.status === 200)!;
        const loser = rs.find((r) => r.status === 412)!;
        assert.equal(loser.body.error.code, 'VERSION_CONFLICT');
        assert.equal(winner.headers.etag, `"${round + 1}"`);
        const now = (await s.call('GET', url)).body.data;
        assert.equal(now.version, round + 1);
        if (entity === 'account') assert.equal(now.name, winner.body.data.name);
        else assert.equal(now.total, winner.body.data.total);
      }
    });
  }

  it('without If-Match both patches apply, one after the other', async () => {
    const created = await s.call('POST', '/api/v1/account', { name: 'x' });
    const url = `/api/v1/account/${created.body.data.id}`;
    const rs = await Promise.all([s.call('PATCH', url, { name: 'a' }), s.call('PATCH', url, { name: 'b' })]);
    assert.deepEqual(statusesOf(rs), [200, 200]);
    assert.deepEqual(rs.map((r) => r.body.data.version).sort(), [2, 3]);
    assert.equal((await s.call('GET', url)).body.data.version, 3);
  });

  it('a stale If-Match on PATCH or DELETE is 412 and changes nothing', async () => {
    const created = await s.call('POST', '/api/v1/account', { name: 'v1' });
    const url = `/api/v1/account/${created.body.data.id}`;
    await s.call('PATCH', url, { name: 'v2' }, { 'if-match': '"1"' });
    const patch = await s.call(
      'PATCH',
      url,
      { name: 'stale' },
      { 'if-match': '"1"', 'accept-language': 'en' },
    );
    assert.equal(patch.status, 412);
    assert.equal(patch.body.error.code, 'VERSION_CONFLICT');
    assert.match(patch.body.message, /current version 2/);
    const empty = await s.call('PATCH', url, {}, { 'if-match': '"1"' });
    assert.equal(empty.status, 412, 'even a patch that changes nothing checks the version');
    const del = await s.call('DELETE', url, undefined, { 'if-match': '"1"' });
    assert.equal(del.status, 412);
    assert.equal(del.body.error.code, 'VERSION_CONFLICT');
    const now = await s.call('GET', url);
    assert.equal(now.body.data.name, 'v2');
    assert.equal(now.headers.etag, '"2"');
    for (const bad of ['abc', '"v2"', '"99999999999"']) {
      const r = await s.call('DELETE', url, undefined, { 'if-match': bad });
      assert.equal(r.status, 400, bad);
      assert.equal(r.body.error.code, 'BAD_REQUEST');
    }
    const weak = await s.call('PATCH', url, { name: 'v3' }, { 'if-match': 'W/"2"' });
    assert.equal(weak.status, 200);
    const ok = await s.call('DELETE', url, undefined, { 'if-match': '"3"' });
    assert.equal(ok.status, 200);
    assert.equal((await s.call('GET', url)).status, 404);
  });

  it('a referenced record cannot be deleted (link or many-to-many) and stays', async () => {
    const acc = (await s.call('POST', '/api/v1/account', { name: 'held' })).body.data.id;
    const contact = (await s.call('POST', '/api/v1/contact', { account: acc })).body.data.id;
    const team = (await s.call('POST', '/api/v1/team', { members: [acc] })).body.data.id;
    const del = await s.call('DELETE', `/api/v1/account/${acc}`);
    assert.equal(del.status, 409, JSON.stringify(del.body));
    assert.equal(del.body.error.code, 'RECORD_REFERENCED');
    assert.equal((await s.call('GET', `/api/v1/account/${acc}`)).status, 200);
    assert.equal((await s.call('DELETE', `/api/v1/contact/${contact}`)).status, 200);
    const still = await s.call('DELETE', `/api/v1/account/${acc}`);
    assert.equal(still.status, 409, 'the team still lists it');
    await s.call('PATCH', `/api/v1/team/${team}`, { members: [] });
    assert.equal((await s.call('DELETE', `/api/v1/account/${acc}`)).status, 200);
  });

  it('a duplicate unique value is 409 UNIQUE_VIOLATION naming the field, on create and patch', async () => {
    await s.call('POST', '/api/v1/account', { email: 'ann@example.com' });
    const other = (await s.call('POST', '/api/v1/account', { email: 'bob@example.com' })).body.data.id;
    const before = await count('account');
    const dup = await s.call(
      'POST',
      '/api/v1/account',
      { email: 'ann@example.com' },
      { 'accept-language': 'en' },
    );
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'UNIQUE_VIOLATION');
    assert.deepEqual(dup.body.error.details, [
      { field: 'email', code: 'unique', message: 'already used by another record' },
    ]);
    assert.match(dup.body.message, /email/);
    const patch = await s.call('PATCH', `/api/v1/account/${other}`, { email: 'ann@example.com' });
    assert.equal(patch.status, 409);
    assert.deepEqual(
      patch.body.error.details.map((d: JsonBody) => d.field),
      ['email'],
    );
    assert.equal(await count('account'), before);
    assert.equal((await s.call('GET', `/api/v1/account/${other}`)).body.data.email, 'bob@example.com');
  });

  it('two concurrent creates with the same unique value: one 201, one 409', async () => {
    const rs = await Promise.all(
      [0, 1].map(() => s.call('POST', '/api/v1/account', { email: 'race@example.com' })),
    );
    assert.deepEqual(statusesOf(rs), [201, 409]);
    const list = await s.call('GET', '/api/v1/account?filter[email][eq]=race@example.com&total=true');
    assert.equal(list.body.data.total, 1);
  });

  it('a composite unique constraint names both fields and allows each half alone', async () => {
    const a = (await s.call('POST', '/api/v1/account', { name: 'a' })).body.data.id;
    const b = (await s.call('POST', '/api/v1/account', { name: 'b' })).body.data.id;
    assert.equal((await s.call('POST', '/api/v1/price_rule', { account: a, sku: 'X' })).status, 201);
    assert.equal((await s.call('POST', '/api/v1/price_rule', { account: b, sku: 'X' })).status, 201);
    assert.equal((await s.call('POST', '/api/v1/price_rule', { account: a, sku: 'Y' })).status, 201);
    const dup = await s.call('POST', '/api/v1/price_rule', { account: a, sku: 'X' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'UNIQUE_VIOLATION');
    assert.deepEqual(
      dup.body.error.details.map((d: JsonBody) => d.field),
      ['account', 'sku'],
    );
    assert.equal(await count('price_rule'), 3);
  });

  it('Idempotency-Key: a retry with the same body replays the first response', async () => {
    const before = await count('account');
    const h = { 'idempotency-key': 'create-ann-2' };
    const first = await s.call('POST', '/api/v1/account', { name: 'Ann' }, h);
    const second = await s.call('POST', '/api/v1/account', { name: 'Ann' }, h);
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.deepEqual(second.body.data, first.body.data);
    assert.equal(second.headers.etag, first.headers.etag);
    assert.equal(await count('account'), before + 1);
    const reused = await s.call('POST', '/api/v1/account', { name: 'Someone else' }, h);
    assert.equal(reused.status, 422);
    assert.equal(reused.body.error.code, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await count('account'), before + 1);
    // The same key on another entity is another request.
    const elsewhere = await s.call('POST', '/api/v1/team', {}, h);
    assert.equal(elsewhere.status, 201);
    assert.equal(elsewhere.headers['idempotent-replayed'], undefined);
    const tooLong = await s.call('POST', '/api/v1/account', {}, { 'idempotency-key': 'k'.repeat(201) });
    assert.equal(tooLong.status, 400);
  });

  it('Idempotency-Key: a refused request does not use the key up', async () => {
    const h = { 'idempotency-key': 'retry-after-fix' };
    const bad = await s.call('POST', '/api/v1/account', { name: 5 }, h);
    assert.equal(bad.status, 422);
    const good = await s.call('POST', '/api/v1/account', { name: 'fixed' }, h);
    assert.equal(good.status, 201);
    assert.equal(good.headers['idempotent-replayed'], undefined);
  });

  it('Idempotency-Key: five concurrent requests with one key create one record', async () => {
    const before = await count('account');
    const h = { 'idempotency-key': 'burst-1' };
    const rs = await Promise.all(
      Array.from({ length: 5 }, () => s.call('POST', '/api/v1/account', { name: 'Burst' }, h)),
    );
    assert.deepEqual(statusesOf(rs), [201, 201, 201, 201, 201], JSON.stringify(rs.map((r) => r.body)));
    assert.equal(new Set(rs.map((r) => r.body.data.id)).size, 1);
    assert.equal(rs.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 4);
    assert.equal(await count('account'), before + 1);
  });

  it('numbers 20 concurrent creates gap-free, in the period of the tenant time zone', async () => {
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => s.call('POST', '/api/v1/job', { title: `job ${i}` })),
    );
    assert.deepEqual(statusesOf(rs), Array(20).fill(201));
    const numbers = rs.map((r) => r.body.data.number).sort();
    assert.deepEqual(
      numbers,
      Array.from({ length: 20 }, (_, i) => `JOB-20250401-${String(i + 1).padStart(4, '0')}`),
    );
  });

  it('a refused create gives its number back, also under concurrency', async () => {
    const taken = await s.call('POST', '/api/v1/job', { title: 'job 0' });
    assert.equal(taken.status, 409, 'unique violation after the number was drawn');
    const dangling = await s.call('POST', '/api/v1/job', {
      title: 'dangling',
      account: '0190a0a0-0000-7000-8000-000000000000',
    });
    assert.equal(dangling.status, 422);
    assert.equal(dangling.body.error.code, 'REFERENCE_NOT_FOUND');
    const next = await s.call('POST', '/api/v1/job', { title: 'job 20' });
    assert.equal(next.body.data.number, 'JOB-20250401-0021');
    // Six new titles and four copies of one: seven succeed, and they take 22..28 with no gap.
    const titles = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'same', 'same', 'same', 'same'];
    const rs = await Promise.all(titles.map((title) => s.call('POST', '/api/v1/job', { title })));
    assert.deepEqual(statusesOf(rs), [201, 201, 201, 201, 201, 201, 201, 409, 409, 409]);
    const numbers = rs
      .filter((r) => r.status === 201)
      .map((r) => r.body.data.number)
      .sort();
    assert.deepEqual(
      numbers,
      Array.from({ length: 7 }, (_, i) => `JOB-20250401-${String(i + 22).padStart(4, '0')}`),
    );
  });
});
