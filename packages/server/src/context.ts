import { AppError, type Clock, type Locale } from '@tenon/core';
import { type Database, type Tenant, TenantErrors } from '@tenon/db';
import type { MetamodelCache, RecordContext } from '@tenon/design';
import type { FastifyRequest } from 'fastify';
import type { ActionRegistry } from './actions.ts';

/** What every route needs; built once by the composition root. */
export type ServerDeps = {
  db: Database;
  metamodels: MetamodelCache;
  actions: ActionRegistry;
  clock: Clock;
  /** Tenon's data directory (files under `<dataDir>/files`). */
  dataDir: string;
  /** The tenant used when a request names none. */
  defaultTenant: string;
  resolveTenant(name: string): Promise<Tenant | null>;
};

export function localeOf(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'];
  return typeof header === 'string' && header.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export async function recordContext(deps: ServerDeps, request: FastifyRequest): Promise<RecordContext> {
  const tenant = await tenantOf(deps, request);
  return {
    db: deps.db,
    metamodel: await deps.metamodels.forTenant(tenant),
    user: null,
    locale: localeOf(request),
    clock: deps.clock,
  };
}

export async function tenantOf(deps: ServerDeps, request: FastifyRequest): Promise<Tenant> {
  const header = request.headers['x-tenant'];
  const name = typeof header === 'string' && header !== '' ? header : deps.defaultTenant;
  const tenant = await deps.resolveTenant(name);
  if (!tenant) throw new AppError(TenantErrors.TENANT_NOT_FOUND, { name });
  return tenant;
}
