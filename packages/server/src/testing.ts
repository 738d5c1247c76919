/** A real server on a test database, driven through `app.inject()`, with a signed-in administrator. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Clock, systemClock } from '@tenon/core';
import { type Database, migratePlatform, registerMigrations, type Tenant } from '@tenon/db';
import { createTestTenant, openTestDatabase } from '@tenon/db/testing';
import {
  ActionRegistry,
  applyDefinitions,
  applyModuleDefinitions,
  createFieldCipher,
  MetamodelCache,
  type ModuleDefinition,
  ObjectKindRegistry,
  registerModules,
} from '@tenon/design';
import { Authenticator, createUser, identityMigrations } from '@tenon/identity';
import { Kernel, type KernelStartOptions, kernelModule } from '@tenon/kernel';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type ModuleRoutes } from './app.ts';
import type { ServerDeps } from './context.ts';
import type { HardeningConfig } from './hardening/index.ts';

/** Response bodies in tests are read loosely; assertions check their shape. */
// biome-ignore lint/suspicious/noExplicitAny: test-only convenience
export type JsonBody = Record<string, any>;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
type Response = { status: number; body: JsonBody; headers: LightMyRequestResponse['headers'] };

/** Usernames are global: each test tenant gets its own, so test files can share a PostgreSQL database. */
const uniqueName = (name: string, tenant: Tenant) => `${name}@${tenant.name}`;

export type TestServer = {
  app: FastifyInstance;
  db: Database;
  tenant: Tenant;
  deps: ServerDeps;
  /** The administrator's access token, sent by `call` unless the headers say otherwise. */
  adminToken: string;
  /** Creates entities through the same service as the meta API. */
  define(definitions: unknown[]): Promise<void>;
  /** JSON request as the administrator (or pass `authorization` in headers); the body parsed. */
  call(method: Method, url: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** A user of this tenant with these roles (named `<username>@<tenant>`); returns a signed-in token. */
  userWith(input: {
    username: string;
    roles: string[];
    attributes?: Record<string, unknown>;
  }): Promise<string>;
  /**
   * A fresh access token of the administrator (`admin`) or of a user made by `userWith` (tokens expire
   * after 15 minutes of the server's clock: tests that move an injected clock sign in again).
   */
  signInAs(username: string): Promise<string>;
  /** The same request with another user's token (null: no token at all). */
  callAs(
    token: string | null,
    method: Method,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  close(): Promise<void>;
};

/** Tests sign in often and fast: rate limits are off unless `hardening` sets them. */
const TEST_HARDENING: HardeningConfig = { rateLimitApi: 0, rateLimitAuth: 0 };

export async function createTestServer(
  options: {
    clock?: Clock;
    db?: Database;
    hardening?: HardeningConfig;
    /** TENON_ENCRYPTION_KEY of this server (32 bytes, base64 or hex); none = encrypted fields refused. */
    encryptionKey?: string;
    /**
     * Modules to install after the kernel, as the composition root does: their migrations, actions,
     * object kinds, entities and objects.
     */
    modules?: ModuleDefinition[];
    /** Modules' own endpoints, as the composition root passes them. */
    routes?: readonly ModuleRoutes[];
    /** Start the kernel's event machinery (dispatcher, live bus, timers, webhooks); off by default. */
    startKernel?: Omit<KernelStartOptions, 'metamodels' | 'actions'>;
    /** Kinds of design objects (the kernel registers services, rules and resource types). */
    objectKinds?: ObjectKindRegistry;
    /** The kernel the routes use; default one over this server's database and object kinds. */
    kernel?: Kernel;
  } = {},
): Promise<TestServer> {
  const modules = [kernelModule, ...(options.modules ?? [])];
  registerMigrations(identityMigrations);
  const actions = new ActionRegistry();
  const objectKinds = options.objectKinds ?? new ObjectKindRegistry();
  registerModules(modules, { actions, objectKinds });
  const db = options.db ?? (await openTestDatabase());
  // A database opened by the caller was migrated before identity's migrations were registered.
  if (options.db) await migratePlatform(db);
  const tenant = await createTestTenant(db);
  const dataDir = mkdtempSync(join(tmpdir(), 'tenon-test-'));
  const metamodels = new MetamodelCache(db, {
    cipher: options.encryptionKey ? createFieldCipher(options.encryptionKey) : null,
  });
  const identity = {
    db,
    clock: options.clock ?? systemClock,
    key: new TextEncoder().encode(`test-key-${tenant.name}`),
  };
  await applyModuleDefinitions(db, { metamodels, objectKinds }, tenant, modules);
  const deps: ServerDeps = {
    db,
    metamodels,
    actions,
    objectKinds,
    kernel: options.kernel ?? new Kernel({ db, objectKinds, clock: identity.clock }),
    clock: identity.clock,
    dataDir,
    identity,
    auth: new Authenticator(identity),
    hardening: { ...TEST_HARDENING, ...options.hardening },
  };
  const app = await buildApp(deps, { logLevel: 'warn', routes: options.routes ?? [], modules });

  const request = async (
    token: string | null,
    method: Method,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await app.inject({
      method,
      url,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    let parsed: JsonBody = {};
    try {
      parsed = res.body ? (JSON.parse(res.body) as JsonBody) : {};
    } catch {
      parsed = { raw: res.body };
    }
    return { status: res.statusCode, body: parsed, headers: res.headers };
  };
  const signIn = async (username: string, password: string) => {
    const res = await request(null, 'POST', '/api/v1/auth/login', {
      username,
      password,
      tenant: tenant.name,
    });
    if (res.status !== 200) throw new Error(`test sign-in failed: ${JSON.stringify(res.body)}`);
    return res.body.data.accessToken as string;
  };

  const admin = { username: uniqueName('admin', tenant), password: 'admin-password-1' };
  await createUser(db, { ...admin, tenant, roles: ['admin'], mustChangePassword: false });
  // A failed setup must not leave the server open (its Redis client would keep the test file running).
  const adminToken = await signIn(admin.username, admin.password).catch(async (err: unknown) => {
    await app.close();
    if (!options.db) await db.close();
    throw err;
  });

  if (options.startKernel) {
    // Only this tenant's events: test files share one PostgreSQL database.
    await deps.kernel.start({
      metamodels,
      actions,
      cron: false,
      dispatchEveryMs: 0,
      tenants: async () => [tenant],
      ...options.startKernel,
    });
  }

  return {
    app,
    db,
    tenant,
    deps,
    adminToken,
    async define(definitions) {
      await applyDefinitions(db, await metamodels.forTenant(tenant), definitions, { mode: 'upsert' });
      metamodels.invalidate(tenant.name);
    },
    call: (method, url, body, headers) => request(adminToken, method, url, body, headers),
    callAs: request,
    signInAs: (username) =>
      username === 'admin'
        ? signIn(admin.username, admin.password)
        : signIn(uniqueName(username, tenant), `${username}-password-1`),
    async userWith(input) {
      const username = uniqueName(input.username, tenant);
      const password = `${input.username}-password-1`;
      await createUser(db, { ...input, username, password, tenant, mustChangePassword: false });
      return signIn(username, password);
    },
    async close() {
      await deps.kernel.stop();
      await app.close();
      if (!options.db) await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
