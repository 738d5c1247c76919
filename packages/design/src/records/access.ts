/**
 * What the current user may do, as the record services see it. Built from roles by the identity
 * package; the services apply it on every read and write, so no endpoint can go around it.
 */
import { AppError, defineErrors } from '@tenon/core';
import type { FilterNode } from './filters.ts';

export const AccessErrors = defineErrors({
  ACCESS_DENIED: {
    status: 403,
    'zh-CN': '无权执行此操作：{action} {entity}',
    en: 'Not allowed: {action} on {entity}',
  },
  ACCESS_ROW_DENIED: {
    status: 403,
    'zh-CN': '无权以此内容保存 {entity} 记录',
    en: 'Not allowed to save this {entity} record with these values',
  },
});

/** The outcome for one entity and action. */
export type AccessDecision = {
  allowed: boolean;
  /** Rows the user may touch: null = all rows. Placeholders are already replaced by the user's values. */
  rowFilter: FilterNode | null;
  /** Fields the user may not see (also not filter, sort or expand by). */
  hiddenFields: ReadonlySet<string>;
  /** Fields the user may see but not write. */
  readOnlyFields: ReadonlySet<string>;
  /** Encrypted fields the user sees in clear (`*` = all); the others are masked, e.g. `138****0000`. */
  unmaskedFields: ReadonlySet<string>;
  /** Why, for the explain endpoint: the roles and permissions that granted or the absence of any. */
  reasons: string[];
};

export type AccessPolicy = {
  /** `read`, `create`, `update`, `delete`, `export`, `import`, or a declared action's name. */
  decide(entity: string, action: string): AccessDecision;
};

const NONE: ReadonlySet<string> = new Set();
const ALL: ReadonlySet<string> = new Set(['*']);

/** Everything allowed: for the system itself (migrations, module services, demo data). */
export const SYSTEM_ACCESS: AccessPolicy = {
  decide: () => ({
    allowed: true,
    rowFilter: null,
    hiddenFields: NONE,
    readOnlyFields: NONE,
    unmaskedFields: ALL,
    reasons: ['system'],
  }),
};

/** The decision, or 403 ACCESS_DENIED. */
export function requireAccess(policy: AccessPolicy, entity: string, action: string): AccessDecision {
  const decision = policy.decide(entity, action);
  if (!decision.allowed) throw new AppError(AccessErrors.ACCESS_DENIED, { entity, action });
  return decision;
}
