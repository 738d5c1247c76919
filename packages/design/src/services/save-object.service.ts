/** Saving and deleting design objects: validated by their kind, versioned, with optimistic locking. */
import { AppError, canonicalJson, type Locale } from '@tenon/core';
import type { Database } from '@tenon/db';
import { MetaErrors } from '../errors.ts';
import type { ObjectKindRegistry } from '../objects/object-kinds.ts';
import { loadObjects, lockObject, type StoredObject, writeObject } from '../objects/object-store.ts';
import type { TenantMetamodel } from '../registry.ts';
import { announceDefinitionChange } from '../store/definition-changes.ts';

export type SaveObjectInput = {
  kinds: ObjectKindRegistry;
  metamodel: TenantMetamodel;
  kind: string;
  definition: unknown;
  /** create: refuse an existing name; update: refuse a missing one; upsert: either (modules' own). */
  mode: 'create' | 'update' | 'upsert';
  /** The version the caller edited (If-Match); a different current version is a 412. */
  expectedVersion?: number | null;
  /** Validate and report only. */
  dryRun?: boolean;
  source?: string;
  user?: string | null;
  locale?: Locale;
};

export type SaveObjectResult = { object: StoredObject; changed: boolean };

export async function saveObject(db: Database, input: SaveObjectInput): Promise<SaveObjectResult> {
  const kind = input.kinds.find(input.kind);
  if (!kind) throw new AppError(MetaErrors.META_OBJECT_KIND_UNKNOWN, { kind: input.kind });
  const schema = input.metamodel.tenant.schemaName;
  const result = await db.transaction(async (tx) => {
    const objects = await loadObjects(tx, schema);
    const checked = kind.check(input.definition, {
      metamodel: input.metamodel,
      objects,
      locale: input.locale ?? 'zh-CN',
    });
    const draftName = (input.definition as { name?: unknown } | null)?.name;
    if ('errors' in checked) {
      throw new AppError(
        MetaErrors.META_OBJECT_INVALID,
        { kind: input.kind, name: typeof draftName === 'string' ? draftName : '' },
        checked.errors,
      );
    }
    const value = checked.value;
    const key = { kind: input.kind, name: value.name };
    const current = await lockObject(tx, schema, key);
    if (current && input.mode === 'create') throw new AppError(MetaErrors.META_OBJECT_EXISTS, key);
    if (!current && input.mode === 'update') throw new AppError(MetaErrors.META_OBJECT_NOT_FOUND, key);
    if (current && input.expectedVersion != null && input.expectedVersion !== current.version) {
      throw new AppError(MetaErrors.META_OBJECT_VERSION_CONFLICT, { version: current.version });
    }
    const source = input.source ?? 'designer';
    if (current && canonicalJson(current.definition) === canonicalJson(value) && current.source === source) {
      return { object: current, changed: false };
    }
    const object: StoredObject = {
      ...key,
      definition: value,
      version: (current?.version ?? 0) + 1,
      source,
      updatedAt: new Date().toISOString(),
      updatedBy: input.user ?? null,
    };
    if (input.dryRun) return { object, changed: true };
    await announceDefinitionChange(tx, input.metamodel.tenant.name, input.kind);
    await writeObject(tx, schema, {
      ...key,
      definition: value,
      version: object.version,
      source,
      user: object.updatedBy,
    });
    return { object, changed: true };
  });
  if (result.changed && !input.dryRun) input.kinds.notifyChanged(input.metamodel.tenant.name, input.kind);
  return result;
}

export async function deleteObject(
  db: Database,
  input: {
    kinds: ObjectKindRegistry;
    metamodel: TenantMetamodel;
    kind: string;
    name: string;
    expectedVersion?: number | null;
    user?: string | null;
  },
): Promise<void> {
  if (!input.kinds.find(input.kind))
    throw new AppError(MetaErrors.META_OBJECT_KIND_UNKNOWN, { kind: input.kind });
  const schema = input.metamodel.tenant.schemaName;
  const key = { kind: input.kind, name: input.name };
  await db.transaction(async (tx) => {
    const current = await lockObject(tx, schema, key);
    if (!current) throw new AppError(MetaErrors.META_OBJECT_NOT_FOUND, key);
    if (current.source.startsWith('module:')) {
      throw new AppError(MetaErrors.META_OBJECT_OWNED_BY_MODULE, { ...key, module: current.source.slice(7) });
    }
    if (input.expectedVersion != null && input.expectedVersion !== current.version) {
      throw new AppError(MetaErrors.META_OBJECT_VERSION_CONFLICT, { version: current.version });
    }
    await announceDefinitionChange(tx, input.metamodel.tenant.name, input.kind);
    await writeObject(tx, schema, {
      ...key,
      definition: null,
      version: current.version + 1,
      source: current.source,
      user: input.user ?? null,
    });
  });
  input.kinds.notifyChanged(input.metamodel.tenant.name, input.kind);
}
