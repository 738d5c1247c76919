/**
 * The tenant's metamodel and kernel definitions for a delivery, read from the shared caches when they
 * are warm. When they are cold they are read through the delivery transaction instead: on PGlite (one
 * connection, transactions in turn) a cache load through the database would wait for this very
 * transaction. The cache load started meanwhile completes after it and serves the next events.
 */
import type { Tenant, Tx } from '@tenon/db';
import { findTenant } from '@tenon/db';
import { loadObjects, type MetamodelCache, type TenantMetamodel } from '@tenon/design';
import type { KernelDefinitions, TenantKernelDefinitions } from '../definitions/kernel-definitions.ts';
import type { ResourceTypeDef, ServiceDef } from '../types.ts';

const MISS: unique symbol = Symbol('miss');

/** The promise's value if it has already settled successfully; MISS otherwise (never waits for I/O). */
async function ifSettled<T>(promise: Promise<T>): Promise<T | typeof MISS> {
  promise.catch(() => {});
  const miss = new Promise<typeof MISS>((resolve) => setImmediate(() => resolve(MISS)));
  try {
    return await Promise.race<T | typeof MISS>([promise, miss]);
  } catch {
    return MISS;
  }
}

export type TenantContext = { metamodel: TenantMetamodel; defs: TenantKernelDefinitions };

/** How long a looked-up tenant (its settings: time zone, currency) is reused; as fresh as the dispatcher's list. */
export const TENANT_TTL_MS = 1000;

/**
 * Tenant lookups by name, kept for TENANT_TTL_MS: every delivered event needs its tenant, and a query
 * per event was a third of the dispatcher's statements. Ages by the monotonic clock, not the business one.
 */
export function tenantLookup(ttlMs = TENANT_TTL_MS) {
  const seen = new Map<string, { tenant: Tenant | null; at: number }>();
  return async (tx: Tx, name: string): Promise<Tenant | null> => {
    const hit = seen.get(name);
    if (hit && performance.now() - hit.at < ttlMs) return hit.tenant;
    const tenant = await findTenant(tx, name);
    seen.set(name, { tenant, at: performance.now() });
    return tenant;
  };
}

export async function tenantContext(
  tx: Tx,
  caches: { metamodels: MetamodelCache; definitions: KernelDefinitions },
  tenant: Tenant | null,
): Promise<TenantContext | null> {
  if (!tenant) return null;
  let metamodel = await ifSettled(caches.metamodels.forTenant(tenant));
  if (metamodel === MISS) {
    // Cold: read through the delivery transaction, with the cache's options (the field cipher).
    metamodel = await caches.metamodels.readThrough(tx, tenant);
  }
  let defs = await ifSettled(caches.definitions.forTenant(tenant));
  if (defs === MISS) {
    const objects = await loadObjects(tx, tenant.schemaName);
    const of = (kind: string) => objects.filter((o) => o.kind === kind);
    defs = {
      tenant,
      services: new Map(of('service').map((o) => [o.name, o.definition as unknown as ServiceDef])),
      resourceTypes: new Map(
        of('resource_type').map((o) => [o.name, o.definition as unknown as ResourceTypeDef]),
      ),
      rules: of('rule'),
    };
  }
  return { metamodel, defs };
}
