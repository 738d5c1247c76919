/**
 * Property-based fuzzing of the platform endpoints: the meta API (definitions, dry runs, history),
 * sign-in and sessions, users and roles, the audit trail and files. Same invariants as the record
 * API: no 5xx, always the envelope, and a refused request writes nothing (sign-in and refresh
 * excepted for the platform rows: they record failed attempts by design).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FIELD_KINDS } from '@tenon/design';
import fc from 'fast-check';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';
import {
  assertEnvelope,
  auth,
  describeRequest,
  FUZZ_DEFINITIONS,
  type FuzzRequest,
  fingerprint,
  fuzz,
  headers,
  idLike,
  type Payload,
  payload,
  pools,
  query,
  scalar,
  segment,
  send,
  value,
} from './fuzz-support.ts';

const ENTITY_NAMES = [
  'fz_doc',
  'fz_line',
  'fz_customer',
  'fz_tag',
  'new_thing',
  '客户',
  'Bad Name',
  'user',
  'id',
];
const entityName = fc.oneof(fc.constantFrom(...ENTITY_NAMES), fc.string({ maxLength: 70 }));
const label = fc.oneof(
  fc.record({ en: fc.string({ maxLength: 30 }) }),
  fc.record({ 'zh-CN': fc.string({ unit: 'grapheme', maxLength: 10 }) }),
  value,
);
const fieldDef = fc.record(
  {
    name: fc.oneof(
      fc.constantFrom('name', 'title', 'qty', 'id', 'version', 'parent_id', 'select'),
      fc.string({ maxLength: 70 }),
    ),
    label,
    kind: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FIELD_KINDS) }, fc.string({ maxLength: 10 })),
    required: fc.oneof(fc.boolean(), scalar),
    unique: fc.boolean(),
    min: scalar,
    max: scalar,
    maxLength: scalar,
    pattern: fc.constantFrom('^[A-Z]', '(a+)+$', '[', '\\', '(?<x>a)\\k<x>'),
    precision: scalar,
    scale: scalar,
    options: fc.array(fc.record({ value: scalar, label }), { maxLength: 3 }),
    target: entityName,
    expression: fc.constantFrom(
      '1 + ',
      'qty * 2',
      'round(weight * amount, 2)',
      'size(title) > 3',
      '"a" + 1',
      'title',
    ),
    resultKind: fc.constantFrom('decimal', 'string', 'integer', 'boolean', 'date', 'money'),
    sequence: fc.record({
      pattern: fc.constantFrom('X-{SEQ:3}', '{SEQ:99}', '{YYYY}', '{field:title}-{SEQ:2}', ''),
    }),
    default: scalar,
    renamedFrom: fc.constantFrom('title', 'notes', 'nope'),
    onDelete: fc.constantFrom('restrict', 'cascade', 'set_null', 'explode'),
  },
  { requiredKeys: [] },
);
const definition = fc.record(
  {
    name: entityName,
    label,
    fields: fc.oneof(fc.array(fieldDef, { maxLength: 4 }), value),
    childOf: entityName,
    extends: entityName,
    abstract: fc.boolean(),
    unique: fc.oneof(
      fc.array(fc.array(fc.constantFrom('title', 'due', 'x'), { maxLength: 2 }), { maxLength: 2 }),
      value,
    ),
    titleField: fc.constantFrom('title', 'nope'),
    actions: fc.array(fc.record({ name: fc.string({ maxLength: 20 }), label }), { maxLength: 2 }),
  },
  { requiredKeys: ['name', 'label', 'fields'] },
);
const json = (v: unknown): Payload => ({ kind: 'json', value: v });

const metaRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE') as fc.Arbitrary<FuzzRequest['method']>,
  url: fc
    .tuple(
      fc.oneof(
        fc.constant('/api/v1/meta/entities'),
        segment(entityName).map((n) => `/api/v1/meta/entities/${n}`),
        segment(entityName).map((n) => `/api/v1/meta/entities/${n}/history`),
      ),
      fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constantFrom(
            '?dryRun=true',
            '?dryRun=1',
            '?dryRun=true&confirm=true',
            '?resolved=true',
          ),
        },
        { weight: 1, arbitrary: fc.constantFrom('', '?confirm=true') },
        { weight: 1, arbitrary: query },
      ),
    )
    .map(([p, q]) => p + q),
  payload: fc.oneof(
    { weight: 4, arbitrary: definition.map(json) },
    { weight: 1, arbitrary: fc.array(definition, { maxLength: 3 }).map(json) },
    { weight: 2, arbitrary: payload },
  ),
  headers,
  auth,
});

const credentials = fc.record(
  {
    username: fc.oneof(fc.constantFrom('FUZZER', 'VICTIM'), scalar),
    password: fc.oneof(fc.constantFrom('fuzzer-password-1', 'wrong-password'), scalar),
    tenant: fc.oneof(fc.constantFrom('TENANT'), scalar),
    code: fc.oneof(fc.constantFrom('123456', '000000'), scalar),
    recoveryCode: scalar,
    refreshToken: fc.oneof(fc.string({ maxLength: 80 }), scalar),
    currentPassword: fc.oneof(fc.constantFrom('wrong-password'), scalar),
    newPassword: scalar,
    name: scalar,
    scopes: fc.oneof(
      fc.array(fc.constantFrom('read:*', '*:*', 'create:fz_doc', 'x'), { maxLength: 3 }),
      value,
    ),
    expiresInDays: scalar,
    roles: fc.oneof(fc.array(fc.constantFrom('admin', 'viewer', 'nope'), { maxLength: 2 }), value),
    attributes: value,
    disabled: fc.oneof(fc.constant(false), scalar),
    displayName: scalar,
    permissions: value,
    rules: value,
  },
  { requiredKeys: [] },
);

const platformPaths: [FuzzRequest['method'], string][] = [
  ['POST', '/api/v1/auth/login'],
  ['POST', '/api/v1/auth/refresh'],
  ['POST', '/api/v1/auth/logout'],
  ['GET', '/api/v1/auth/me'],
  ['POST', '/api/v1/auth/password'],
  ['GET', '/api/v1/auth/sessions'],
  ['DELETE', '/api/v1/auth/sessions/{id}'],
  ['POST', '/api/v1/auth/mfa/setup'],
  ['POST', '/api/v1/auth/mfa/confirm'],
  ['POST', '/api/v1/auth/mfa/disable'],
  ['POST', '/api/v1/auth/tokens'],
  ['DELETE', '/api/v1/auth/tokens/{id}'],
  ['GET', '/api/v1/security/roles'],
  ['PUT', '/api/v1/security/roles/{name}'],
  ['GET', '/api/v1/security/users'],
  ['POST', '/api/v1/security/users'],
  ['PATCH', '/api/v1/security/users/{id}'],
  ['GET', '/api/v1/security/explain'],
  ['GET', '/api/v1/audit/users/{id}'],
  ['GET', '/api/v1/fz_doc/{id}/history'],
  ['GET', '/api/v1/files/{id}'],
  ['POST', '/api/v1/files'],
];

const platformRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    route: fc.constantFrom(...platformPaths),
    method: fc.oneof(
      { weight: 5, arbitrary: fc.constant(null) },
      fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT'),
    ),
    id: segment(fc.oneof(idLike.map(String), fc.constantFrom('FUZZER_ID', 'VICTIM_ID'))),
    name: segment(fc.constantFrom('viewer', 'admin', 'clerk', '')),
    query: fc.oneof(
      query,
      fc
        .record({
          user: fc.constantFrom('FUZZER', 'x'),
          entity: entityName,
          action: fc.string(),
          record: idLike.map(String),
        })
        .map((q) => `?${new URLSearchParams(q as Record<string, string>)}`),
    ),
    payload: fc.oneof({ weight: 3, arbitrary: credentials.map(json) }, { weight: 1, arbitrary: payload }),
    headers,
    auth,
  })
  .map(({ route, method, id, name, query: q, payload: p, headers: h, auth: a }) => ({
    method: method ?? route[0],
    url: route[1].replace('{id}', id).replace('{name}', name) + q,
    payload: p,
    headers: h,
    auth: a,
  }));

describe('fuzz: meta, identity, security, audit and file endpoints', () => {
  let s: TestServer;
  let token: string;
  let baseline: Record<string, string>;
  const who = { fuzzer: '', fuzzerId: '', victim: '', victimId: '' };
  const counts = new Map<string, number>();

  /** The request with this run's real names in place of the placeholders. */
  const concrete = (req: FuzzRequest): FuzzRequest => {
    const swap = (text: string) =>
      text
        .replaceAll('FUZZER_ID', who.fuzzerId)
        .replaceAll('VICTIM_ID', who.victimId)
        .replaceAll('FUZZER', who.fuzzer)
        .replaceAll('VICTIM', who.victim)
        .replaceAll('TENANT', s.tenant.name);
    const p =
      req.payload.kind === 'json'
        ? json(JSON.parse(swap(JSON.stringify(req.payload.value) ?? 'null')))
        : req.payload;
    return { ...req, url: swap(req.url), payload: p };
  };

  /** The fuzzer signed out, disabled or demoted itself: the administrator puts it back. */
  const recover = async (force: boolean) => {
    if (!force && (await s.callAs(token, 'GET', '/api/v1/auth/me')).status === 200) return;
    await s.call('PATCH', `/api/v1/security/users/${who.fuzzerId}`, { disabled: false, roles: ['admin'] });
    const res = await s.callAs(null, 'POST', '/api/v1/auth/login', {
      username: who.fuzzer,
      password: 'fuzzer-password-1',
    });
    assert.equal(res.status, 200, `the fuzzer cannot sign in again: ${JSON.stringify(res.body)}`);
    token = res.body.data.accessToken;
  };

  const check = async (generated: FuzzRequest) => {
    const req = concrete(generated);
    const res = await send(s, req, token);
    const binary = req.url.startsWith('/api/v1/files/') && req.method === 'GET' && res.status === 200;
    if (!binary) assertEnvelope(req, res);
    const bucket = `${req.method} ${res.status} ${res.body.error?.code ?? ''}`;
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    const signIn = /^\/api\/v1\/auth\/(login|refresh)\b/.test(req.url);
    const now = await fingerprint(s, { platform: !signIn });
    if (res.status >= 400) {
      const before = signIn
        ? Object.fromEntries(Object.entries(baseline).filter(([k]) => !k.startsWith('platform.')))
        : baseline;
      assert.deepEqual(now, before, `a refused request wrote something: ${describeRequest(req, res)}`);
      if (signIn) baseline = await fingerprint(s, { platform: true });
      // Sessions and roles are cached for 30 s: a sign-out or demotion may bite only now.
      if (req.auth === 'admin' && (res.status === 401 || res.status === 403)) {
        await recover(true);
        baseline = await fingerprint(s, { platform: true });
      }
    } else {
      await recover(false);
      baseline = await fingerprint(s, { platform: true });
    }
  };

  before(async () => {
    s = await createTestServer();
    await s.define(FUZZ_DEFINITIONS);
    token = await s.userWith({ username: 'fuzzer', roles: ['admin'] });
    await s.userWith({ username: 'victim', roles: [] });
    who.fuzzer = `fuzzer@${s.tenant.name}`;
    who.victim = `victim@${s.tenant.name}`;
    const users = (await s.call('GET', '/api/v1/security/users')).body.data.items as JsonBody[];
    who.fuzzerId = users.find((u) => u.username === who.fuzzer)!.id;
    who.victimId = users.find((u) => u.username === who.victim)!.id;
    const doc = await s.call('POST', '/api/v1/fz_doc', { title: 'Alpha', lines: [{ note: 'x' }] });
    pools.ids.push(doc.body.data.id, who.fuzzerId, who.victimId);
    baseline = await fingerprint(s, { platform: true });
  });
  after(async () => {
    console.log(`fuzz-platform answers: ${JSON.stringify(Object.fromEntries([...counts].sort()))}`);
    await s.close();
  });

  it('regressions found by fuzzing: bad field names and labels, malformed multipart, NUL characters', async () => {
    for (const fields of [
      [{ kind: 'string' }],
      [{ kind: 'string', label: null }],
      [{ kind: 'text', label: 'Notes' }],
    ]) {
      const req: FuzzRequest = {
        method: 'PATCH',
        url: '/api/v1/meta/entities/fz_tag',
        payload: json({ label: { en: 'Tag' }, fields }),
        headers: {},
        auth: 'admin',
      };
      const res = await send(s, req, token);
      assertEnvelope(req, res);
      assert.equal(res.body.error?.code, 'META_DEFINITION_INVALID', describeRequest(req, res));
    }
    for (const [text, type] of [
      ['null', 'multipart/form-data; boundary=x'],
      ['abc', 'multipart/form-data'],
      [
        '--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
        'multipart/form-data; boundary=x',
      ],
    ] as const) {
      const req: FuzzRequest = {
        method: 'POST',
        url: '/api/v1/files',
        payload: { kind: 'raw', text, type },
        headers: {},
        auth: 'admin',
      };
      const res = await send(s, req, token);
      assertEnvelope(req, res);
      assert.equal(res.status, 400, describeRequest(req, res));
    }
    // NUL characters reaching PostgreSQL as text: a 400, never a 500
    const nul: [FuzzRequest['method'], string, unknown][] = [
      ['GET', '/api/v1/audit/users/%00', undefined],
      ['GET', '/api/v1/security/explain?user=%00&entity=fz_doc&action=read', undefined],
      ['POST', '/api/v1/auth/tokens', { name: 'a\u0000', scopes: ['read:*'] }],
      ['POST', '/api/v1/meta/entities', { name: 'x', label: { en: 'a\u0000' }, fields: [] }],
      [
        'POST',
        '/api/v1/meta/entities?dryRun=true',
        {
          name: 'y',
          label: { en: 'Y' },
          fields: [
            { name: ' }', label: { en: 'bad name' }, kind: 'integer' },
            { name: 'f', label: { en: 'F' }, kind: 'formula', expression: '1 + 1' },
          ],
        },
      ],
    ];
    // role definitions of the wrong shape: a 422, not a TypeError
    for (const permissions of [
      [null],
      [5],
      [{ entity: 5, actions: ['read'] }],
      [{ entity: 'fz_doc', actions: ['read'], hiddenFields: 5 }],
    ])
      nul.push(['PUT', '/api/v1/security/roles/clerk', { label: { en: 'Clerk' }, permissions }]);
    for (const [method, url, body] of nul) {
      const req: FuzzRequest = {
        method,
        url,
        payload: body === undefined ? { kind: 'none' } : json(body),
        headers: {},
        auth: 'admin',
      };
      const res = await send(s, req, token);
      assertEnvelope(req, res);
      assert.ok(res.status === 400 || res.status === 422, describeRequest(req, res));
    }
    const login: FuzzRequest = {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: json({ username: 'a\u0000', password: 'x' }),
      headers: {},
      auth: 'none',
    };
    const res = await send(s, login);
    assertEnvelope(login, res);
    assert.equal(res.status, 400, describeRequest(login, res));
    assert.deepEqual(await fingerprint(s, { platform: true }), baseline);
  });

  it('the meta API: random definitions, names, flags and bodies', async () => {
    await fuzz(metaRequest, 150, check);
  });

  it('identity, security, audit and files: random bodies, ids, queries and headers', async () => {
    await fuzz(platformRequest, 250, check);
  });
});
