/** A real server on a test database, driven through `app.inject()`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Clock, systemClock } from '@tenon/core';
import { type Database, findTenant, type Tenant } from '@tenon/db';
import { createTestTenant, openTestDatabase } from '@tenon/db/testing';
import { applyDefinitions, MetamodelCache } from '@tenon/design';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ActionRegistry } from './actions.ts';
import { buildApp } from './app.ts';
import type { ServerDeps } from './context.ts';

/** Response bodies in tests are read loosely; assertions check their shape. */
// biome-ignore lint/suspicious/noExplicitAny: test-only convenience
export type JsonBody = Record<string, any>;

export type TestServer = {
  app: FastifyInstance;
  db: Database;
  tenant: Tenant;
  deps: ServerDeps;
  /** Creates entities through the same service as the meta API. */
  define(definitions: unknown[]): Promise<void>;
  /** JSON request; the body of the response parsed. */
  call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: JsonBody; headers: LightMyRequestResponse['headers'] }>;
  close(): Promise<void>;
};

export async function createTestServer(options: { clock?: Clock; db?: Database } = {}): Promise<TestServer> {
  const db = options.db ?? (await openTestDatabase());
  const tenant = await createTestTenant(db);
  const dataDir = mkdtempSync(join(tmpdir(), 'tenon-test-'));
  const metamodels = new MetamodelCache(db);
  const deps: ServerDeps = {
    db,
    metamodels,
    actions: new ActionRegistry(),
    clock: options.clock ?? systemClock,
    dataDir,
    defaultTenant: tenant.name,
    resolveTenant: (name) => findTenant(db, name),
  };
  const app = await buildApp(deps, { logLevel: 'warn' });
  return {
    app,
    db,
    tenant,
    deps,
    async define(definitions) {
      await applyDefinitions(db, await metamodels.forTenant(tenant), definitions, { mode: 'upsert' });
      metamodels.invalidate(tenant.name);
    },
    async call(method, url, body, headers = {}) {
      const res = await app.inject({
        method,
        url,
        // No content type without a body: Fastify refuses an empty JSON body (e.g. on DELETE).
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      let parsed: JsonBody = {};
      try {
        parsed = res.body ? (JSON.parse(res.body) as JsonBody) : {};
      } catch {
        parsed = { raw: res.body };
      }
      return { status: res.statusCode, body: parsed, headers: res.headers };
    },
    async close() {
      await app.close();
      if (!options.db) await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
