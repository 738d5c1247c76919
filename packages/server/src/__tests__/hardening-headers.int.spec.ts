/**
 * Security headers on every answer (success, 401, 404), a CSP that lets the API reference run its own
 * inline script, HSTS only when asked, CORS only for allowed origins, and body size limits as 413s.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from '@tenon/db';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const ALLOWED = 'https://erp.example.com';
const OTHER = 'https://evil.example.net';

type Headers = Record<string, unknown>;

const corsHeaders = (headers: Headers) => Object.keys(headers).filter((h) => h.startsWith('access-control-'));

function assertSecurityHeaders(headers: Headers): void {
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'no-referrer');
  assert.equal(headers['x-frame-options'], 'SAMEORIGIN');
  const csp = String(headers['content-security-policy']);
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /object-src 'none'/);
  assert.match(csp, /(^|;)script-src 'self'/);
}

describe('security headers (defaults)', () => {
  let s: TestServer;
  before(async () => {
    s = await createTestServer();
  });
  after(() => s.close());

  it('on a success, a 401 and a 404, without HSTS or upgrade-insecure-requests', async () => {
    for (const res of [
      await s.call('GET', '/api/v1/auth/me'),
      await s.callAs(null, 'GET', '/api/v1/auth/me'),
      await s.call('GET', '/api/v1/no_such_entity'),
      await s.callAs(null, 'GET', '/no/such/page'),
    ]) {
      assertSecurityHeaders(res.headers);
      assert.equal(res.headers['strict-transport-security'], undefined);
      assert.doesNotMatch(String(res.headers['content-security-policy']), /upgrade-insecure-requests/);
      assert.equal(typeof res.body.code, 'number', 'still the envelope');
    }
  });

  it('the API reference may run exactly its own inline script (by hash), nothing else inline', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/docs' });
    assert.equal(res.statusCode, 200);
    const inline = [...res.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    assert.equal(inline.length, 1, 'the page has one inline script');
    const hash = `'sha256-${createHash('sha256').update(inline[0]!).digest('base64')}'`;
    const scriptSrc = /(?:^|;)script-src ([^;]*)/.exec(String(res.headers['content-security-policy']))![1]!;
    assert.deepEqual(scriptSrc.split(' '), ["'self'", hash]);
    assert.doesNotMatch(scriptSrc, /unsafe-inline|unsafe-eval/);
    // its static assets are served under the same policy
    const bundle = await s.app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui-bundle.js' });
    assert.equal(bundle.statusCode, 200);
    assert.equal(bundle.headers['x-content-type-options'], 'nosniff');
    // a JSON answer gets no hash
    const json = await s.call('GET', '/api/v1/auth/me');
    assert.doesNotMatch(String(json.headers['content-security-policy']), /sha256-/);
  });

  it('no CORS header for any origin when no origin is allowed', async () => {
    const res = await s.call('GET', '/api/v1/auth/me', undefined, { origin: ALLOWED });
    assert.equal(res.status, 200);
    assert.deepEqual(corsHeaders(res.headers), []);
    const preflight = await s.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/auth/me',
      headers: { origin: ALLOWED, 'access-control-request-method': 'GET' },
    });
    assert.ok(preflight.statusCode >= 400, String(preflight.statusCode));
    assert.deepEqual(corsHeaders(preflight.headers), []);
  });
});

describe('HSTS when TENON_HSTS=true', () => {
  let s: TestServer;
  before(async () => {
    s = await createTestServer({ hardening: { hsts: true } });
  });
  after(() => s.close());

  it('Strict-Transport-Security, and insecure requests upgraded', async () => {
    const res = await s.call('GET', '/api/v1/auth/me');
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    assert.match(String(res.headers['content-security-policy']), /upgrade-insecure-requests/);
    assertSecurityHeaders(res.headers);
  });
});

describe('CORS allowlist', () => {
  let s: TestServer;
  before(async () => {
    s = await createTestServer({
      hardening: { corsOrigins: [`${ALLOWED}/`, 'http://localhost:5173'], rateLimitApi: 3 },
    });
  });
  after(() => s.close());

  const preflight = (origin: string) =>
    s.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/auth/me',
      headers: {
        origin,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization, content-type, if-match, idempotency-key',
      },
    });

  it('an allowed origin: the origin echoed, useful headers exposed, errors readable too', async () => {
    const ok = await s.call('GET', '/api/v1/auth/me', undefined, { origin: ALLOWED });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['access-control-allow-origin'], ALLOWED);
    assert.equal(ok.headers['access-control-allow-credentials'], undefined, 'bearer tokens, no cookies');
    const exposed = String(ok.headers['access-control-expose-headers']).split(', ');
    for (const h of ['etag', 'x-trace-id', 'retry-after', 'x-ratelimit-remaining'])
      assert.ok(exposed.includes(h), h);
    assert.match(String(ok.headers.vary), /Origin/);
    const denied = await s.callAs(null, 'GET', '/api/v1/auth/me', undefined, {
      origin: 'http://localhost:5173',
    });
    assert.equal(denied.status, 401);
    assert.equal(denied.headers['access-control-allow-origin'], 'http://localhost:5173');
  });

  it('an allowed origin: the preflight succeeds with the methods and headers asked for', async () => {
    const res = await preflight(ALLOWED);
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['access-control-allow-origin'], ALLOWED);
    assert.match(String(res.headers['access-control-allow-methods']), /PATCH/);
    assert.match(String(res.headers['access-control-allow-methods']), /DELETE/);
    assert.equal(
      res.headers['access-control-allow-headers'],
      'authorization, content-type, if-match, idempotency-key',
    );
    assert.equal(res.headers['access-control-max-age'], '600');
  });

  it('another origin: no CORS header at all, and its preflight is refused', async () => {
    for (const origin of [OTHER, `${ALLOWED}.evil.net`, 'null', 'https://ERP.example.com.']) {
      const token = await s.userWith({ username: `o${randomUUID().slice(0, 8)}`, roles: ['admin'] });
      const res = await s.callAs(token, 'GET', '/api/v1/auth/me', undefined, { origin });
      assert.equal(res.status, 200, 'CORS is the browser’s business: the server still answers');
      assert.deepEqual(corsHeaders(res.headers), [], origin);
      const pre = await preflight(origin);
      assert.equal(pre.statusCode, 404);
      assert.deepEqual(corsHeaders(pre.headers), [], origin);
      assert.equal(JSON.parse(pre.body).error.code, 'NOT_FOUND');
    }
  });

  it('preflights are not counted against the rate limit', async () => {
    for (let i = 0; i < 10; i++) assert.equal((await preflight(ALLOWED)).statusCode, 204);
    const token = await s.userWith({ username: 'cors', roles: ['admin'] });
    const res = await s.callAs(token, 'GET', '/api/v1/auth/me', undefined, { origin: ALLOWED });
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-ratelimit-remaining'], '2');
  });

  it('a 429 is readable by an allowed origin', async () => {
    const token = await s.userWith({ username: 'cors2', roles: ['admin'] });
    let last: { status: number; headers: Headers } = { status: 0, headers: {} };
    for (let i = 0; i < 4; i++)
      last = await s.callAs(token, 'GET', '/api/v1/auth/me', undefined, { origin: ALLOWED });
    assert.equal(last.status, 429);
    assert.equal(last.headers['access-control-allow-origin'], ALLOWED);
    assert.ok(Number(last.headers['retry-after']) >= 1);
  });
});

describe('CORS: * allows any origin', () => {
  let s: TestServer;
  before(async () => {
    s = await createTestServer({ hardening: { corsOrigins: ['*'] } });
  });
  after(() => s.close());

  it('echoes whatever origin asks, and nothing without an Origin header', async () => {
    const res = await s.call('GET', '/api/v1/auth/me', undefined, { origin: OTHER });
    assert.equal(res.headers['access-control-allow-origin'], OTHER);
    assert.deepEqual(corsHeaders((await s.call('GET', '/api/v1/auth/me')).headers), []);
  });
});

describe('body size limits', () => {
  const LIMIT = 2048;
  let s: TestServer;
  before(async () => {
    s = await createTestServer({ hardening: { bodyLimit: LIMIT, fileLimit: LIMIT } });
    await s.define([
      {
        name: 'memo',
        label: { en: 'Memo' },
        fields: [{ name: 'body', label: { en: 'Body' }, kind: 'text' }],
      },
    ]);
  });
  after(() => s.close());

  const rows = async (table: string) =>
    Number(
      (await s.db.run<{ n: string }>(sql`SELECT count(*) AS n FROM ${sql.id(s.tenant.schemaName, table)}`))
        .rows[0]!.n,
    );

  function assert413(status: number, body: JsonBody): void {
    assert.equal(status, 413, JSON.stringify(body));
    assert.equal(body.code, 413);
    assert.equal(body.error.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(body.data, null);
    assert.equal(typeof body.traceId, 'string');
  }

  it('a JSON body over the limit: 413 PAYLOAD_TOO_LARGE, nothing written', async () => {
    const fits = await s.call('POST', '/api/v1/memo', { body: 'x'.repeat(LIMIT - 100) });
    assert.equal(fits.status, 201);
    const big = await s.call('POST', '/api/v1/memo', { body: 'x'.repeat(LIMIT) });
    assert413(big.status, big.body);
    assert.equal(await rows('memo'), 1);
    const patch = await s.call('PATCH', `/api/v1/memo/${fits.body.data.id}`, { body: '多'.repeat(LIMIT) });
    assert413(patch.status, patch.body);
    assert.equal(
      (await s.call('GET', `/api/v1/memo/${fits.body.data.id}`)).body.data.body,
      'x'.repeat(LIMIT - 100),
    );
  });

  it('a file over the limit: 413 PAYLOAD_TOO_LARGE, nothing stored', async () => {
    const upload = async (size: number) => {
      const boundary = `----tenon-${randomUUID()}`;
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/v1/files',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          authorization: `Bearer ${s.adminToken}`,
        },
        payload: Buffer.concat([
          Buffer.from(head),
          Buffer.alloc(size, 7),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
      });
      return { status: res.statusCode, body: JSON.parse(res.body) as JsonBody };
    };
    const small = await upload(LIMIT - 1);
    assert.equal(small.status, 201, JSON.stringify(small.body));
    const big = await upload(LIMIT + 1);
    assert413(big.status, big.body);
    assert.equal(await rows('_file'), 1);
    const stored = readdirSync(join(s.deps.dataDir, 'files', s.tenant.name), {
      recursive: true,
      withFileTypes: true,
    }).filter((e) => e.isFile());
    assert.equal(stored.length, 1, 'only the small file is on disk');
  });
});
