/**
 * What the fuzz specs share: sending a generated request, and the invariants every answer must keep:
 * no 5xx, always the envelope, and nothing written by a refused request. The entities and the
 * generators are in fuzz-arbitraries.ts (re-exported here).
 */
import assert from 'node:assert/strict';
import { sql } from '@tenon/db';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import type { JsonBody, TestServer } from '../testing.ts';
import type { Auth, Payload } from './fuzz-arbitraries.ts';

export * from './fuzz-arbitraries.ts';

export type FuzzRequest = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  url: string;
  payload: Payload;
  headers: Record<string, string>;
  auth: Auth;
};

export type FuzzResponse = { status: number; body: JsonBody; raw: string; headers: Record<string, unknown> };

const GARBAGE = ['Bearer x.y.z', 'Bearer tna_0000', 'Basic YWRtaW46YWRtaW4=', 'Bearer', 'bearer  '];

export async function send(s: TestServer, req: FuzzRequest, token = s.adminToken): Promise<FuzzResponse> {
  const headers: Record<string, string> = { ...req.headers };
  if (req.auth === 'admin') headers.authorization = `Bearer ${token}`;
  if (req.auth === 'garbage') headers.authorization = GARBAGE[req.url.length % GARBAGE.length]!;
  const options: InjectOptions = { method: req.method, url: req.url, headers };
  if (req.payload.kind === 'json') {
    headers['content-type'] = 'application/json';
    options.payload = JSON.stringify(req.payload.value) ?? 'null';
  } else if (req.payload.kind === 'raw') {
    headers['content-type'] = req.payload.type;
    options.payload = req.payload.text;
  }
  const res = await s.app.inject(options);
  let body: JsonBody = {};
  try {
    body = JSON.parse(res.body) as JsonBody;
  } catch {
    body = {};
  }
  return { status: res.statusCode, body, raw: res.body, headers: res.headers };
}

/** Short, printable description of a request for assertion messages. */
export const describeRequest = (req: FuzzRequest, res: FuzzResponse) =>
  `${req.method} ${req.url.slice(0, 300)} [${req.auth}] ${JSON.stringify(req.headers).slice(0, 200)} body=${
    req.payload.kind === 'json'
      ? (JSON.stringify(req.payload.value) ?? '').slice(0, 300)
      : JSON.stringify(req.payload).slice(0, 300)
  }\n  -> ${res.status} ${res.raw.slice(0, 400)}`;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** No 5xx, and the answer is the envelope: code = status, message, data, timestamp, traceId (+ error). */
export function assertEnvelope(req: FuzzRequest, res: FuzzResponse): void {
  const what = describeRequest(req, res);
  assert.ok(res.status < 500, `5xx: ${what}`);
  // A path like /api/v1/../.. resolves outside the API (to the home page): only "no 5xx" applies there.
  if (!new URL(req.url, 'http://tenon.test').pathname.startsWith('/api/')) return;
  assert.match(String(res.headers['content-type']), /^application\/json/, `not JSON: ${what}`);
  const b = res.body;
  assert.equal(typeof b, 'object', what);
  assert.equal(b.code, res.status, `code != status: ${what}`);
  assert.equal(typeof b.message, 'string', what);
  assert.ok('data' in b, what);
  assert.match(String(b.timestamp), ISO, what);
  assert.equal(b.traceId, res.headers['x-trace-id'], what);
  if (res.status >= 400) {
    assert.equal(b.data, null, what);
    assert.match(String(b.error?.code), /^[A-Z][A-Z0-9_]+$/, what);
    assert.ok(Array.isArray(b.error.details), what);
  } else {
    assert.equal(b.error, undefined, what);
  }
}

/**
 * A digest of everything the tenant owns: every table of its schema, and its rows in the platform
 * tables (users, memberships, sessions, API tokens, sign-in events).
 */
export async function fingerprint(
  s: TestServer,
  options: { platform: boolean },
): Promise<Record<string, string>> {
  const schema = s.tenant.schemaName;
  const { rows: tables } = await s.db.run<{ name: string }>(
    sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${schema} ORDER BY 1`,
  );
  const digest = (from: ReturnType<typeof sql>) =>
    sql`(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${from})`;
  const columns = tables.map((t) => sql`${digest(sql`${sql.id(schema, t.name)} x`)} AS ${sql.id(t.name)}`);
  if (options.platform) {
    const tenantId = s.tenant.id;
    const members = sql`(SELECT user_id FROM tenon.membership WHERE tenant_id = ${tenantId})`;
    columns.push(
      sql`${digest(sql`(SELECT * FROM tenon.user WHERE id IN ${members}) x`)} AS "platform.user"`,
      sql`${digest(sql`(SELECT * FROM tenon.membership WHERE tenant_id = ${tenantId}) x`)} AS "platform.membership"`,
      sql`${digest(sql`(SELECT * FROM tenon.refresh_token WHERE tenant_id = ${tenantId}) x`)} AS "platform.refresh_token"`,
      sql`${digest(sql`(SELECT * FROM tenon.api_token WHERE tenant_id = ${tenantId}) x`)} AS "platform.api_token"`,
      sql`${digest(sql`(SELECT * FROM tenon.auth_event WHERE tenant_id = ${tenantId} OR user_id IN ${members}) x`)} AS "platform.auth_event"`,
    );
  }
  const { rows } = await s.db.run<Record<string, string>>(sql`SELECT ${sql.join(columns)}`);
  return rows[0]!;
}

/** Runs the property with a bounded number of runs; FUZZ_SEED and FUZZ_RUNS reproduce or extend. */
export async function fuzz<T>(
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  check: (input: T) => Promise<void>,
) {
  // A fixed seed keeps CI repeatable; set FUZZ_SEED (and FUZZ_RUNS) to explore further.
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261126;
  const factor = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 1;
  await fc.assert(fc.asyncProperty(arbitrary, check), {
    numRuns: Math.max(1, Math.round(numRuns * factor)),
    seed,
    // Shrinking would replay requests against a database that has moved on: report the first failure.
    endOnFailure: true,
  });
}
