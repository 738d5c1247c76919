import { AppError, type Clock, type Locale } from '@tenon/core';
import type { Database, Tenant } from '@tenon/db';
import {
  type ActionRegistry,
  type MetamodelCache,
  type ObjectKindRegistry,
  type RecordContext,
  requireAccess,
  type TenantMetamodel,
} from '@tenon/design';
import {
  type Authenticated,
  type Authenticator,
  type IdentityDeps,
  IdentityErrors,
  type RequestMeta,
} from '@tenon/identity';
import type { Kernel } from '@tenon/kernel';
import type { FastifyRequest } from 'fastify';
import type { HardeningConfig } from './hardening/index.ts';

/** What every route needs; built once by the composition root. */
export type ServerDeps = {
  db: Database;
  metamodels: MetamodelCache;
  actions: ActionRegistry;
  /** Kinds of design objects besides entities (services, rules, resource types, ...). */
  objectKinds: ObjectKindRegistry;
  /** Processes, task lists, live events (routes of the kernel use it). */
  kernel: Kernel;
  clock: Clock;
  /** Tenon's data directory (files under `<dataDir>/files`). */
  dataDir: string;
  identity: IdentityDeps;
  auth: Authenticator;
  /** Rate limits, CORS, HSTS and body sizes; absent fields take the defaults of `HARDENING_DEFAULTS`. */
  hardening?: HardeningConfig;
};

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for every authenticated request (all of /api/ except sign-in and the docs page). */
    auth: Authenticated | null;
  }
}

export function localeOf(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'];
  return typeof header === 'string' && header.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export function authOf(request: FastifyRequest): Authenticated {
  if (!request.auth) throw new AppError(IdentityErrors.AUTH_REQUIRED);
  return request.auth;
}

export function metaOf(request: FastifyRequest): RequestMeta {
  const ua = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null, traceId: request.id };
}

/** The tenant of the signed-in user: the token decides, never a header. */
export function tenantOf(request: FastifyRequest): Tenant {
  return authOf(request).tenant;
}

export async function metamodelOf(deps: ServerDeps, request: FastifyRequest): Promise<TenantMetamodel> {
  return deps.metamodels.forTenant(tenantOf(request));
}

/** Access to a platform resource (`$meta`, `$security`, `$audit`), or 403. */
export function requirePlatform(request: FastifyRequest, resource: string, action: string): Authenticated {
  const auth = authOf(request);
  requireAccess(auth.policy, resource, action);
  return auth;
}

export async function recordContext(deps: ServerDeps, request: FastifyRequest): Promise<RecordContext> {
  const auth = authOf(request);
  const meta = metaOf(request);
  return {
    db: deps.db,
    metamodel: await deps.metamodels.forTenant(auth.tenant),
    actor: { userId: auth.principal.userId, username: auth.principal.username, ...meta },
    access: auth.policy,
    locale: localeOf(request),
    clock: deps.clock,
  };
}
