/** Roles: validated against the metamodel (entities, actions, fields and row filters must exist). */
import { AppError, type FieldError } from '@tenon/core';
import type { Database, Tenant } from '@tenon/db';
import {
  announceDefinitionChange,
  identifierFromLabel,
  isIdentifier,
  type TenantMetamodel,
  uniqueIdentifier,
} from '@tenon/design';
import { IdentityErrors } from '../errors.ts';
import { ADMIN_ROLE, type RoleDef } from '../policy.ts';
import { insertRole, loadRoles, saveRole } from '../repositories/role.repository.ts';
import { rowConditionProblem } from '../row-condition-check.ts';

const CRUD = ['read', 'create', 'update', 'delete', 'export', 'import'];
const PLATFORM = ['$meta', '$security', '$audit', '$process', '$webhook'];

export function validateRole(input: unknown, metamodel: TenantMetamodel): RoleDef {
  const errors: FieldError[] = [];
  const role = input as RoleDef;
  if (typeof role !== 'object' || role === null) throw new AppError(IdentityErrors.ROLE_INVALID);
  if (typeof role.name !== 'string' || !isIdentifier(role.name))
    errors.push({ field: 'name', code: 'invalid', message: 'snake_case name' });
  if (role.name === ADMIN_ROLE.name)
    errors.push({ field: 'name', code: 'reserved', message: 'admin is built in' });
  if (typeof role.label !== 'object' || role.label === null)
    errors.push({ field: 'label', code: 'required', message: 'a label is required' });
  if (!Array.isArray(role.permissions))
    errors.push({ field: 'permissions', code: 'required', message: 'a list of permissions' });
  for (const [i, p] of (Array.isArray(role.permissions) ? role.permissions : []).entries()) {
    const at = (f: string) => `permissions.${i}.${f}`;
    // Shapes first: a null, a string or a number here is a 422, not a TypeError.
    if (typeof p !== 'object' || p === null || Array.isArray(p)) {
      errors.push({ field: `permissions.${i}`, code: 'invalid', message: 'a permission is an object' });
      continue;
    }
    const lists = ['hiddenFields', 'readOnlyFields', 'unmaskedFields'] as const;
    const notLists = lists.filter((key) => p[key] !== undefined && !Array.isArray(p[key]));
    for (const key of notLists)
      errors.push({ field: at(key), code: 'invalid', message: 'a list of field names' });
    if (notLists.length > 0 || typeof p.entity !== 'string') {
      if (typeof p.entity !== 'string')
        errors.push({ field: at('entity'), code: 'invalid', message: 'an entity name, or *' });
      continue;
    }
    const entity = p.entity === '*' || PLATFORM.includes(p.entity) ? null : metamodel.find(p.entity);
    if (p.entity !== '*' && !PLATFORM.includes(p.entity) && !entity)
      errors.push({ field: at('entity'), code: 'unknown_entity', message: `unknown entity ${p.entity}` });
    if (!Array.isArray(p.actions) || p.actions.length === 0) {
      errors.push({ field: at('actions'), code: 'required', message: 'at least one action' });
    } else if (entity) {
      const declared = new Set([...(entity.def.actions ?? []).map((a) => a.name), ...CRUD, '*']);
      for (const a of p.actions)
        if (!declared.has(a))
          errors.push({ field: at('actions'), code: 'unknown_action', message: `unknown action ${a}` });
    }
    for (const key of ['hiddenFields', 'readOnlyFields'] as const) {
      for (const f of p[key] ?? []) {
        if (entity && !entity.fields.has(f))
          errors.push({ field: at(key), code: 'unknown_field', message: `unknown field ${f}` });
      }
    }
    for (const f of p.unmaskedFields ?? []) {
      if (entity && f !== '*' && entity.fields.get(f)?.encrypted !== true)
        errors.push({
          field: at('unmaskedFields'),
          code: 'not_encrypted',
          message: `${f} is no encrypted field`,
        });
    }
    if (p.where !== undefined && (typeof p.where !== 'object' || p.where === null)) {
      errors.push({
        field: at('where'),
        code: 'invalid',
        message: 'a filter like {"field":"owner","op":"eq","value":"$user.id"}',
      });
    } else if (p.where !== undefined && entity) {
      const problem = rowConditionProblem(metamodel, entity, p.where);
      if (problem) errors.push({ field: at('where'), code: 'invalid_filter', message: problem });
    }
  }
  if (errors.length > 0) throw new AppError(IdentityErrors.ROLE_INVALID, {}, errors);
  return {
    name: role.name,
    label: role.label,
    ...(role.description ? { description: role.description } : {}),
    permissions: role.permissions,
  };
}

export async function saveRoleDefinition(
  db: Database,
  tenant: Tenant,
  metamodel: TenantMetamodel,
  input: unknown,
  user: string | null,
): Promise<{ role: RoleDef; version: number }> {
  const role = validateRole(input, metamodel);
  // Other app instances cache roles: tell them at commit (they drop the tenant's cached roles).
  const version = await db.transaction(async (tx) => {
    await announceDefinitionChange(tx, tenant.name, 'role');
    return saveRole(tx, tenant.schemaName, role, user);
  });
  return { role, version };
}

/**
 * A new role. Its identifier is the one given, or derived from its Chinese name (else its English
 * one) as pinyin, as entities' are, and made unique among the tenant's roles (`hu_li`, `hu_li_2`).
 * A given identifier already in use is refused (409), never overwritten.
 */
export async function createRoleDefinition(
  db: Database,
  tenant: Tenant,
  metamodel: TenantMetamodel,
  input: unknown,
  user: string | null,
): Promise<{ role: RoleDef; version: number }> {
  const given = (typeof input === 'object' && input !== null ? input : {}) as {
    name?: unknown;
    label?: { 'zh-CN'?: unknown; en?: unknown };
  };
  let name = given.name;
  if (name === undefined) {
    const label = given.label?.['zh-CN'] || given.label?.en;
    const taken = new Set([
      ADMIN_ROLE.name,
      ...(await loadRoles(db, tenant.schemaName)).roles.map((r) => r.name),
    ]);
    name = uniqueIdentifier(
      identifierFromLabel(typeof label === 'string' ? label : '', { fallbackPrefix: 'role' }),
      taken,
    );
  }
  const role = validateRole({ ...given, name }, metamodel);
  const version = await db.transaction(async (tx) => {
    const inserted = await insertRole(tx, tenant.schemaName, role, user);
    if (inserted === null) throw new AppError(IdentityErrors.ROLE_EXISTS, { role: role.name });
    await announceDefinitionChange(tx, tenant.name, 'role');
    return inserted;
  });
  return { role, version };
}
