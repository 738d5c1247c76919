/**
 * Kinds of design-side definitions besides entities (a service, a rule, a resource type, a form, a
 * menu): each kind validates its JSON shape once, and the object store versions it. Packages above
 * design (the kernel, the console) register their kinds with the composition root's registry.
 */
import type { FieldError, Label, Locale } from '@tenon/core';
import type { TenantMetamodel } from '../registry.ts';
import type { StoredObject } from './object-store.ts';

export type ObjectCheckContext = {
  metamodel: TenantMetamodel;
  /** The tenant's current objects of any kind (to check references between them). */
  objects: readonly StoredObject[];
  locale: Locale;
};

export type ObjectKind = {
  kind: string;
  label: Label;
  /**
   * Validates and normalises one definition (defaults filled, names derived). Returns the value to
   * store, or the field errors that refuse it.
   */
  check(
    input: unknown,
    ctx: ObjectCheckContext,
  ): { value: { name: string } & Record<string, unknown> } | { errors: FieldError[] };
};

export class ObjectKindRegistry {
  private readonly kinds = new Map<string, ObjectKind>();
  private readonly listeners = new Set<(tenant: string, kind: string) => void>();

  /** Called after a save or delete commits in this process (caches of compiled objects listen). */
  onChanged(listener: (tenant: string, kind: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notifyChanged(tenant: string, kind: string): void {
    for (const listener of this.listeners) listener(tenant, kind);
  }

  /** Registering the same kind again is harmless; another kind under a taken name is a mistake. */
  register(kind: ObjectKind): void {
    const known = this.kinds.get(kind.kind);
    if (known === kind) return;
    if (known) throw new Error(`object kind registered twice: ${kind.kind}`);
    this.kinds.set(kind.kind, kind);
  }

  find(kind: string): ObjectKind | undefined {
    return this.kinds.get(kind);
  }

  list(): ObjectKind[] {
    return [...this.kinds.values()];
  }
}
