/**
 * A role's permissions as the console's matrix shows them: one row per entity (or platform resource,
 * or `*` for every entity), one checkbox per common action, `*` for all of them. Permissions the
 * matrix cannot show (row conditions, hidden, read-only or unmasked fields, an entity's own declared
 * actions) are kept as they are and saved again unchanged.
 */
export type Permission = {
  entity: string;
  actions: string[];
  where?: unknown;
  hiddenFields?: string[];
  readOnlyFields?: string[];
  unmaskedFields?: string[];
};

/** The matrix's columns, `*` (every action) first. */
export const MATRIX_ACTIONS = ['*', 'read', 'create', 'update', 'delete', 'export', 'import'] as const;
export type MatrixAction = (typeof MATRIX_ACTIONS)[number];

/** Platform resources a role can be given, in the order the matrix lists them. */
export const PLATFORM_RESOURCES = ['$meta', '$security', '$audit', '$process', '$webhook'] as const;

export type RoleMatrix = {
  /** Checked actions by entity (`*`, a platform resource or an entity name). */
  grants: Record<string, MatrixAction[]>;
  /** Permissions kept as they are. */
  kept: Permission[];
};

const isMatrixAction = (a: string): a is MatrixAction => (MATRIX_ACTIONS as readonly string[]).includes(a);
const PLAIN_KEYS = new Set(['entity', 'actions']);

export function toMatrix(permissions: Permission[]): RoleMatrix {
  const grants: Record<string, MatrixAction[]> = {};
  const kept: Permission[] = [];
  for (const p of permissions) {
    if (Object.keys(p).some((k) => !PLAIN_KEYS.has(k))) {
      kept.push(p);
      continue;
    }
    const own = p.actions.filter((a) => !isMatrixAction(a));
    if (own.length > 0) kept.push({ entity: p.entity, actions: own });
    const set = new Set([...(grants[p.entity] ?? []), ...p.actions.filter(isMatrixAction)]);
    if (set.size > 0) grants[p.entity] = MATRIX_ACTIONS.filter((a) => set.has(a));
  }
  return { grants, kept };
}

/** The permissions to save: one per entity with something checked (`*` alone when checked), then the kept ones. */
export function fromMatrix(matrix: RoleMatrix): Permission[] {
  const plain = Object.entries(matrix.grants)
    .filter(([, actions]) => actions.length > 0)
    .map(([entity, actions]) => ({
      entity,
      actions: actions.includes('*') ? ['*'] : MATRIX_ACTIONS.filter((a) => actions.includes(a)),
    }));
  return [...plain, ...matrix.kept];
}

/** Checks or unchecks one cell. */
export function toggle(matrix: RoleMatrix, entity: string, action: MatrixAction, on: boolean): RoleMatrix {
  const current = new Set(matrix.grants[entity] ?? []);
  if (on) current.add(action);
  else current.delete(action);
  return {
    ...matrix,
    grants: { ...matrix.grants, [entity]: MATRIX_ACTIONS.filter((a) => current.has(a)) },
  };
}
