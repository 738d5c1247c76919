/**
 * Property-based fuzzing of the generated record API: random methods, paths, ids, query strings,
 * bodies and headers. Every answer is below 500 and is the envelope; a refused request (4xx)
 * changes nothing in the tenant's tables or its platform rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createTestServer, type TestServer } from '../testing.ts';
import {
  assertEnvelope,
  auth,
  describeRequest,
  FIELD_NAMES,
  FUZZ_DEFINITIONS,
  type FuzzRequest,
  fingerprint,
  fuzz,
  headers,
  idLike,
  payload,
  pools,
  query,
  segment,
  send,
  value,
} from './fuzz-support.ts';

const ENTITIES = ['fz_doc', 'fz_doc', 'fz_doc', 'fz_line', 'fz_customer', 'fz_tag'];
const entity = segment(fc.constantFrom(...ENTITIES));
const id = segment(idLike.map(String));
const action = segment(fc.constantFrom('confirm', 'history', 'cancel', 'toString', '__proto__', 'lines'));

const path = fc.oneof(
  { weight: 3, arbitrary: entity.map((e) => `/api/v1/${e}`) },
  { weight: 4, arbitrary: fc.tuple(entity, id).map(([e, i]) => `/api/v1/${e}/${i}`) },
  { weight: 1, arbitrary: fc.tuple(entity, id, action).map(([e, i, a]) => `/api/v1/${e}/${i}/${a}`) },
  { weight: 1, arbitrary: fc.tuple(entity, id, id).map(([e, i, x]) => `/api/v1/${e}/${i}/${x}/more`) },
);

const method = fc.constantFrom('GET', 'POST', 'POST', 'PATCH', 'PATCH', 'DELETE', 'PUT') as fc.Arbitrary<
  FuzzRequest['method']
>;

const anyRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method,
  url: fc.tuple(path, query).map(([p, q]) => p + q),
  payload,
  headers,
  auth,
});

const listRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.constant('GET' as const),
  url: fc
    .tuple(fc.constantFrom('fz_doc', 'fz_doc', 'fz_doc', 'fz_customer'), query)
    .map(([e, q]) => `/api/v1/${e}${q}`),
  payload: fc.constant({ kind: 'none' as const }),
  headers: fc.constant({}),
  auth: fc.constant('admin' as const),
});

/** A document that would be valid but for a few fields: gets past the first checks. */
const nearlyValidDoc = fc
  .tuple(
    fc.record({
      title: fc.stringMatching(/^[A-Z][a-z]{0,20}$/),
      rank: fc.integer({ min: 1, max: 100 }),
      amount: fc.constantFrom('0', '12.50', '99999.99'),
      weight: fc.constantFrom('1', '0.125'),
      due: fc.constantFrom('2024-02-29', '2030-01-01'),
      currency: fc.constantFrom('CNY', 'USD'),
      lines: fc.array(fc.record({ note: fc.constantFrom('bolt', 'nut'), qty: fc.constantFrom('1', '2.5') }), {
        maxLength: 3,
      }),
      extra: fc.jsonValue({ maxDepth: 2 }),
    }),
    fc.dictionary(fc.constantFrom(...FIELD_NAMES), value, { maxKeys: 2 }),
  )
  .map(([good, bad]) => ({ ...good, ...bad }));

const nearlyValidRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.constantFrom('POST', 'PATCH') as fc.Arbitrary<FuzzRequest['method']>,
  url: fc.oneof(
    fc.constant('/api/v1/fz_doc'),
    { weight: 3, arbitrary: fc.nat().map((i) => `/api/v1/fz_doc/${pools.ids[i % pools.ids.length]}`) },
    idLike.map((i) => `/api/v1/fz_doc/${encodeURIComponent(String(i))}`),
  ),
  payload: fc.oneof(nearlyValidDoc, fc.record({ lines: fc.array(value, { maxLength: 3 }) })).map((v) => ({
    kind: 'json' as const,
    value: v,
  })),
  headers,
  auth: fc.constant('admin' as const),
});

describe('fuzz: the record API', () => {
  let s: TestServer;
  let baseline: Record<string, string>;
  const counts = new Map<string, number>();

  /** Sends, checks the envelope, and after a 4xx checks that nothing changed. */
  const check = async (req: FuzzRequest) => {
    // PATCH without a body has nothing to check beyond the envelope; the methods are all exercised.
    const res = await send(s, req);
    assertEnvelope(req, res);
    const bucket = `${req.method} ${res.status} ${res.body.error?.code ?? ''}`;
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    const now = await fingerprint(s, { platform: true });
    if (res.status >= 400) {
      assert.deepEqual(now, baseline, `a refused request wrote something: ${describeRequest(req, res)}`);
    } else {
      baseline = now;
      const created = res.body.data as { id?: unknown } | null;
      if (req.method === 'POST' && typeof created?.id === 'string' && !pools.ids.includes(created.id))
        pools.ids.push(created.id);
    }
  };

  before(async () => {
    s = await createTestServer();
    await s.define(FUZZ_DEFINITIONS);
    for (const name of ['Acme', 'Globex'])
      pools.customers.push((await s.call('POST', '/api/v1/fz_customer', { name })).body.data.id);
    for (const name of ['red', 'blue'])
      pools.tags.push((await s.call('POST', '/api/v1/fz_tag', { name })).body.data.id);
    for (const title of ['Alpha', 'Beta', 'Gamma']) {
      const doc = await s.call('POST', '/api/v1/fz_doc', {
        title,
        amount: '10.00',
        weight: '2',
        customer: pools.customers[0],
        tags: pools.tags,
        lines: [{ note: 'bolt', qty: '4', customer: pools.customers[1] }],
        extra: { a: [1, 'x'] },
      });
      assert.equal(doc.status, 201, JSON.stringify(doc.body));
      pools.ids.push(doc.body.data.id);
    }
    baseline = await fingerprint(s, { platform: true });
  });
  after(async () => {
    console.log(`fuzz-records answers: ${JSON.stringify(Object.fromEntries([...counts].sort()))}`);
    await s.close();
  });

  it('regressions found by fuzzing: malformed percent-encoding, over-long path segments', async () => {
    for (const url of [
      '/api/v1/*/%C0%AE/_file',
      '/api/v1/fz_doc/%E0%A4%A',
      `/api/v1/fz_doc/${'x'.repeat(101)}`,
    ]) {
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        const req: FuzzRequest = { method, url, payload: { kind: 'none' }, headers: {}, auth: 'admin' };
        const res = await send(s, req);
        assertEnvelope(req, res);
        assert.equal(res.status, 400, describeRequest(req, res));
      }
    }
  });

  it('any method, path, id, query, body and headers: no 5xx, the envelope, no write on 4xx', async () => {
    await fuzz(anyRequest, 250, check);
  });

  it('list queries with random filters, sorts, fields, expands, pages and cursors', async () => {
    await fuzz(listRequest, 250, check);
  });

  it('nearly valid documents with hostile fields and lines', async () => {
    await fuzz(nearlyValidRequest, 150, check);
  });
});
