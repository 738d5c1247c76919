/**
 * The kernel's design objects of one tenant (services, rules, resource types), loaded from the
 * versioned object store and kept until a save in this process invalidates them.
 */
import type { Executor, Tenant } from '@tenon/db';
import { loadObjects, type ObjectKindRegistry, type StoredObject } from '@tenon/design';
import type { ResourceTypeDef, ServiceDef } from '../types.ts';

export type TenantKernelDefinitions = {
  tenant: Tenant;
  services: ReadonlyMap<string, ServiceDef>;
  resourceTypes: ReadonlyMap<string, ResourceTypeDef>;
  /** Rule objects as stored (name, version, definition); the rule engine compiles and caches them. */
  rules: readonly StoredObject[];
};

export const KERNEL_KINDS = ['service', 'rule', 'resource_type'] as const;

export class KernelDefinitions {
  private readonly cache = new Map<string, Promise<TenantKernelDefinitions>>();

  constructor(
    private readonly db: Executor,
    kinds: ObjectKindRegistry,
  ) {
    kinds.onChanged((tenant, kind) => {
      if ((KERNEL_KINDS as readonly string[]).includes(kind)) this.cache.delete(tenant);
    });
  }

  forTenant(tenant: Tenant): Promise<TenantKernelDefinitions> {
    let found = this.cache.get(tenant.name);
    if (!found) {
      found = this.load(tenant);
      this.cache.set(tenant.name, found);
      found.catch(() => this.cache.delete(tenant.name));
    }
    return found;
  }

  invalidate(tenant: string): void {
    this.cache.delete(tenant);
  }

  private async load(tenant: Tenant): Promise<TenantKernelDefinitions> {
    const objects = await loadObjects(this.db, tenant.schemaName);
    const of = (kind: string) => objects.filter((o) => o.kind === kind);
    return {
      tenant,
      services: new Map(of('service').map((o) => [o.name, o.definition as unknown as ServiceDef])),
      resourceTypes: new Map(
        of('resource_type').map((o) => [o.name, o.definition as unknown as ResourceTypeDef]),
      ),
      rules: of('rule'),
    };
  }
}
