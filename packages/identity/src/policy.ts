/**
 * Roles to an access policy (pure). Deny by default; permissions of several roles add up. Row
 * conditions are list filters whose values may name the user (`$user.id`, `$user.username`,
 * `$user.<attribute>`), replaced once when the policy is compiled for a user.
 */
import type { Label } from '@tenon/core';
import type { AccessDecision, AccessPolicy, FilterNode } from '@tenon/design';

export type Permission = {
  /** An entity name, or `*` for every entity. Platform resources start with `$`: `$meta`, `$security`, `$audit`. */
  entity: string;
  /** `read`, `create`, `update`, `delete`, `export`, `import`, declared action names, or `*`. */
  actions: string[];
  /** Only rows matching this filter. */
  where?: FilterNode;
  hiddenFields?: string[];
  readOnlyFields?: string[];
  /** Encrypted fields shown in clear (`*` = all); others are masked. The roles granting an action add up. */
  unmaskedFields?: string[];
};

export type RoleDef = { name: string; label: Label; description?: string; permissions: Permission[] };

export type Principal = {
  userId: string;
  username: string;
  tenant: string;
  roles: string[];
  /** Membership attributes used by row conditions: companies, supplier, customer, … */
  attributes: Record<string, unknown>;
};

/** The built-in role every tenant has. */
export const ADMIN_ROLE: RoleDef = {
  name: 'admin',
  label: { 'zh-CN': '管理员', en: 'Administrator' },
  permissions: [{ entity: '*', actions: ['*'], unmaskedFields: ['*'] }],
};

export class PlaceholderError extends Error {}

function userValue(principal: Principal, path: string): unknown {
  if (path === 'id') return principal.userId;
  if (path === 'username') return principal.username;
  if (!(path in principal.attributes)) throw new PlaceholderError(`the user has no attribute ${path}`);
  return principal.attributes[path];
}

/** Replaces `$user.x` values; a condition on an attribute the user lacks matches nothing. */
export function bindUser(node: FilterNode, principal: Principal): FilterNode | null {
  if ('and' in node) {
    const parts = node.and.map((n) => bindUser(n, principal));
    return parts.some((p) => p === null) ? null : { and: parts as FilterNode[] };
  }
  if ('or' in node) {
    const parts = node.or.map((n) => bindUser(n, principal)).filter((p): p is FilterNode => p !== null);
    return parts.length === 0 ? null : { or: parts };
  }
  const value = node.value;
  if (typeof value !== 'string' || !value.startsWith('$user.')) return node;
  try {
    const bound = userValue(principal, value.slice('$user.'.length));
    if (bound === null || bound === undefined || (Array.isArray(bound) && bound.length === 0)) return null;
    return { ...node, value: Array.isArray(bound) ? bound.map(String) : String(bound) };
  } catch (err) {
    if (err instanceof PlaceholderError) return null;
    throw err;
  }
}

const matches = (list: string[], item: string) => list.includes('*') || list.includes(item);

function intersect(sets: Set<string>[]): Set<string> {
  const [first, ...rest] = sets;
  return new Set([...(first ?? [])].filter((x) => rest.every((s) => s.has(x))));
}

/** A condition no row satisfies (used when a row condition names an attribute the user lacks). */
const NOTHING: FilterNode = { field: 'id', op: 'null', value: true };

export function compilePolicy(roles: RoleDef[], principal: Principal): AccessPolicy {
  const granted = roles.filter((r) => principal.roles.includes(r.name));
  const cache = new Map<string, AccessDecision>();
  return {
    decide(entity, action) {
      const key = `${entity}\u0000${action}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const grants: { role: string; permission: Permission }[] = [];
      for (const role of granted) {
        for (const permission of role.permissions) {
          const entityMatches =
            permission.entity === entity || (permission.entity === '*' && !entity.startsWith('$'));
          const adminAll =
            permission.entity === '*' && permission.actions.includes('*') && role.name === ADMIN_ROLE.name;
          if ((entityMatches || adminAll) && matches(permission.actions, action))
            grants.push({ role: role.name, permission });
        }
      }
      let rowFilter: FilterNode | null = null;
      if (grants.length > 0 && grants.every((g) => g.permission.where)) {
        const bound = grants.map((g) => bindUser(g.permission.where!, principal) ?? NOTHING);
        rowFilter = bound.length === 1 ? bound[0]! : { or: bound };
      }
      const decision: AccessDecision = {
        allowed: grants.length > 0,
        rowFilter,
        hiddenFields: intersect(grants.map((g) => new Set(g.permission.hiddenFields ?? []))),
        readOnlyFields: intersect(
          grants.map(
            (g) => new Set([...(g.permission.readOnlyFields ?? []), ...(g.permission.hiddenFields ?? [])]),
          ),
        ),
        unmaskedFields: new Set(grants.flatMap((g) => g.permission.unmaskedFields ?? [])),
        reasons:
          grants.length > 0
            ? grants.map(
                (g) =>
                  `role ${g.role} grants ${g.permission.actions.join(',')} on ${g.permission.entity}${g.permission.where ? ' where ' + JSON.stringify(g.permission.where) : ''}`,
              )
            : [
                `no role of ${principal.username} (${principal.roles.join(', ') || 'none'}) grants ${action} on ${entity}`,
              ],
      };
      cache.set(key, decision);
      return decision;
    },
  };
}
