/** Opens the database, applies migrations, registers module definitions and builds the server. */
import { mkdirSync } from 'node:fs';
import { systemClock } from '@tenon/core';
import {
  createTenant,
  type Database,
  findTenant,
  listTenants,
  migrateAllTenants,
  migratePlatform,
  openDatabase,
  registerMigrations,
  type Tenant,
  tenantSchemaName,
} from '@tenon/db';
import {
  ActionRegistry,
  applyModuleDefinitions,
  createFieldCipher,
  MetamodelCache,
  ObjectKindRegistry,
  registerModules,
  watchDefinitionChanges,
} from '@tenon/design';
import {
  Authenticator,
  ensureTenantAdmin,
  type IdentityDeps,
  identityMigrations,
  signingKey,
  watchAccessChanges,
} from '@tenon/identity';
import { startRevaluationWorker } from '@tenon/inventory';
import { Kernel } from '@tenon/kernel';
import { buildApp } from '@tenon/server';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { moduleRoutes, modules } from './modules.ts';

export type System = {
  db: Database;
  metamodels: MetamodelCache;
  actions: ActionRegistry;
  objectKinds: ObjectKindRegistry;
  kernel: Kernel;
  identity: IdentityDeps;
  config: Config;
};

export async function openSystem(config: Config): Promise<System> {
  mkdirSync(config.dataDir, { recursive: true });
  registerMigrations(identityMigrations);
  const actions = new ActionRegistry();
  const objectKinds = new ObjectKindRegistry();
  registerModules(modules, { actions, objectKinds });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migratePlatform(db);
  await migrateAllTenants(db);
  const identity = { db, clock: systemClock, key: await signingKey(db, config.jwtSecret) };
  // Encrypted fields (decision 0005): one key for the process, carried by each tenant's metamodel.
  const cipher = config.encryptionKey ? createFieldCipher(config.encryptionKey) : null;
  const kernel = new Kernel({ db, objectKinds, clock: systemClock });
  return {
    db,
    metamodels: new MetamodelCache(db, { cipher }),
    actions,
    objectKinds,
    kernel,
    identity,
    config,
  };
}

/**
 * The tenant's first administrator, once: with TENON_ADMIN_PASSWORD as given, otherwise a one-time
 * password to print (changed at first sign-in).
 */
export function ensureAdmin(system: System, tenant: Tenant) {
  return ensureTenantAdmin(system.db, tenant, {
    username: system.config.adminUser,
    ...(system.config.adminPassword ? { password: system.config.adminPassword } : {}),
  });
}

/** Creates the tenant if needed and brings the built-in modules' definitions up to date in it. */
export async function ensureTenant(system: System, name: string): Promise<Tenant> {
  const tenant =
    (await findTenant(system.db, name)) ??
    (await createTenant(system.db, {
      name,
      settings: { timeZone: system.config.timeZone, currency: system.config.currency },
    }));
  await registerModuleDefinitions(system, tenant);
  return tenant;
}

export function registerModuleDefinitions(system: System, tenant: Tenant): Promise<void> {
  return applyModuleDefinitions(system.db, system, tenant, modules);
}

export async function startServer(system: System): Promise<{ app: FastifyInstance; address: string }> {
  const auth = new Authenticator(system.identity);
  // Roles saved on any instance reach this one's policy cache (announced with the definitions).
  system.objectKinds.onChanged((tenant, kind) => {
    if (kind === 'role') auth.invalidateRoles(tenantSchemaName(tenant));
  });
  const app = await buildApp(
    {
      db: system.db,
      metamodels: system.metamodels,
      actions: system.actions,
      objectKinds: system.objectKinds,
      kernel: system.kernel,
      clock: system.identity.clock,
      dataDir: system.config.dataDir,
      identity: system.identity,
      auth,
      hardening: system.config.hardening,
    },
    { logLevel: system.config.logLevel, routes: moduleRoutes, modules },
  );
  // Other instances may change definitions: drop what this one cached when they do.
  const stopWatching = await watchDefinitionChanges(system.db, system);
  app.addHook('onClose', stopWatching);
  // Sessions, users and API tokens revoked through any instance (decision 0075).
  const stopAccessWatch = await watchAccessChanges(system.db, auth);
  app.addHook('onClose', stopAccessWatch);
  // Rules, webhooks, timers, cron, dispatch rounds and live events of this instance.
  await system.kernel.start({
    metamodels: system.metamodels,
    actions: system.actions,
    log: (message, detail) => app.log.info(detail ?? {}, message),
  });
  app.addHook('onClose', () => system.kernel.stop());
  // Back-dated revaluations left pending resume on their own (decision 0016).
  const revaluations = startRevaluationWorker(system.db, {
    schemas: async () => (await listTenants(system.db)).map((t) => t.schemaName),
    log: (message, detail) => app.log.info(detail ?? {}, message),
  });
  app.addHook('onClose', () => revaluations.stop());
  const address = await app.listen({ port: system.config.port, host: system.config.host });
  return { app, address };
}

export async function allTenants(system: System): Promise<Tenant[]> {
  return listTenants(system.db);
}
