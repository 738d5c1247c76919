/**
 * The live metamodel of each tenant: stored definitions, resolved and compiled once per version
 * (validators, formulas, numbering patterns, the physical table). Invalidated when definitions change.
 */
import { AppError } from '@tenon/core';
import type { Database, Executor, Tenant } from '@tenon/db';
import { type TableModel, tableModelOf } from './ddl/physical.ts';
import { MetaErrors } from './errors.ts';
import { exprVariablesOf } from './expr-types.ts';
import { type CompiledExpr, createExprEnv } from './expressions/cel.ts';
import type { FieldCipher } from './records/encryption.ts';
import { resolveEntity } from './resolve.ts';
import { compileRecordValidator, type RecordValidator } from './schema/validate-record.ts';
import { type ParsedPattern, parseSequencePattern } from './sequence-pattern.ts';
import { loadDefinitions, type StoredDefinition } from './store/definition-store.ts';
import type { EntityDef, FieldDef } from './types.ts';

export type CompiledEntity = {
  tenant: Tenant;
  /** The resolved definition (inherited fields included). */
  def: EntityDef;
  stored: StoredDefinition;
  table: TableModel;
  fields: ReadonlyMap<string, FieldDef>;
  /** Fields stored in a column of this table, in table order. */
  columnFields: FieldDef[];
  childFields: FieldDef[];
  multiLinkFields: FieldDef[];
  validateCreate: RecordValidator;
  validateUpdate: RecordValidator;
  /** An update made inside one of the entity's declared actions: action-owned fields are writable. */
  validateActionUpdate: RecordValidator;
  formulas: { field: FieldDef; expr: CompiledExpr }[];
  sequences: { field: FieldDef; pattern: ParsedPattern }[];
  titleField: string | null;
  /** Fields stored encrypted, and the tenant's cipher for them (null: no key configured). */
  encryptedFields: FieldDef[];
  cipher: FieldCipher | null;
};

export type TenantMetamodel = {
  tenant: Tenant;
  definitions(): StoredDefinition[];
  find(name: string): CompiledEntity | undefined;
  /** The compiled entity, or 404 META_ENTITY_NOT_FOUND. */
  get(name: string): CompiledEntity;
  /** Seals encrypted fields (decision 0005); null when no key is configured. */
  cipher: FieldCipher | null;
};

export type MetamodelOptions = { cipher?: FieldCipher | null };

export const DEFAULT_CURRENCY = 'CNY';
export const DEFAULT_TIME_ZONE = 'UTC';

function compileEntity(
  tenant: Tenant,
  stored: StoredDefinition,
  lookup: (n: string) => EntityDef | undefined,
  cipher: FieldCipher | null,
): CompiledEntity {
  const def = resolveEntity(stored.def, lookup);
  const resolvedLookup = (n: string) => {
    const other = lookup(n);
    return other ? resolveEntity(other, lookup) : undefined;
  };
  const options = { defaultCurrency: tenant.settings.currency ?? DEFAULT_CURRENCY };
  const columnFields = def.fields.filter((f) => f.kind !== 'children' && f.kind !== 'multi_link');
  const formulas: CompiledEntity['formulas'] = [];
  def.fields.forEach((field, i) => {
    if (field.kind !== 'formula') return;
    const visible = def.fields.slice(0, i).filter((f) => f.kind !== 'children' && f.kind !== 'multi_link');
    formulas.push({ field, expr: createExprEnv(exprVariablesOf(visible)).compile(field.expression!) });
  });
  return {
    tenant,
    def,
    stored,
    table: tableModelOf(def),
    fields: new Map(def.fields.map((f) => [f.name, f])),
    columnFields,
    childFields: def.fields.filter((f) => f.kind === 'children'),
    multiLinkFields: def.fields.filter((f) => f.kind === 'multi_link'),
    validateCreate: compileRecordValidator(def, resolvedLookup, 'create', options),
    validateUpdate: compileRecordValidator(def, resolvedLookup, 'update', options),
    validateActionUpdate: compileRecordValidator(def, resolvedLookup, 'action', options),
    formulas,
    sequences: def.fields
      .filter((f) => f.kind === 'sequence')
      .map((field) => ({ field, pattern: parseSequencePattern(field.sequence!.pattern) })),
    titleField:
      def.titleField ??
      columnFields.find((f) => (f.kind === 'string' && !f.encrypted) || f.kind === 'sequence')?.name ??
      null,
    encryptedFields: columnFields.filter((f) => f.encrypted === true),
    cipher,
  };
}

export function buildMetamodel(
  tenant: Tenant,
  definitions: StoredDefinition[],
  options: MetamodelOptions = {},
): TenantMetamodel {
  const cipher = options.cipher ?? null;
  const byName = new Map(definitions.map((d) => [d.def.name, d]));
  const lookup = (n: string) => byName.get(n)?.def;
  const compiled = new Map<string, CompiledEntity>();
  const find = (name: string): CompiledEntity | undefined => {
    const hit = compiled.get(name);
    if (hit) return hit;
    const stored = byName.get(name);
    if (!stored || stored.def.abstract) return undefined;
    const entity = compileEntity(tenant, stored, lookup, cipher);
    compiled.set(name, entity);
    return entity;
  };
  return {
    tenant,
    definitions: () => definitions,
    cipher,
    find,
    get: (name) => {
      const entity = find(name);
      if (entity) return entity;
      if (byName.get(name)?.def.abstract)
        throw new AppError(MetaErrors.META_ENTITY_ABSTRACT, { entity: name });
      throw new AppError(MetaErrors.META_ENTITY_NOT_FOUND, { entity: name });
    },
  };
}

/** Caches each tenant's metamodel in this process. */
export class MetamodelCache {
  private readonly cache = new Map<string, Promise<TenantMetamodel>>();

  constructor(
    private readonly db: Database,
    private readonly options: MetamodelOptions = {},
  ) {}

  forTenant(tenant: Tenant): Promise<TenantMetamodel> {
    let entry = this.cache.get(tenant.name);
    if (!entry) {
      entry = loadDefinitions(this.db, tenant.schemaName).then((defs) =>
        buildMetamodel(tenant, defs, this.options),
      );
      entry.catch(() => this.cache.delete(tenant.name));
      this.cache.set(tenant.name, entry);
    }
    return entry;
  }

  invalidate(tenantName: string): void {
    this.cache.delete(tenantName);
  }

  /**
   * The tenant's metamodel read through `ex` (a transaction that must not wait for the cache's own
   * load), with this cache's options (the field cipher); the result is not cached.
   */
  async readThrough(ex: Executor, tenant: Tenant): Promise<TenantMetamodel> {
    return buildMetamodel(tenant, await loadDefinitions(ex, tenant.schemaName), this.options);
  }
}
