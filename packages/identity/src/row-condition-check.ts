/**
 * Checks a role's row condition (`where`) against the entity when the role is saved, so that a
 * typo is a 422 then, not a 400 on every read of that role's users later. `$user.x` placeholders
 * are bound per user at sign-in; here they stand for a sample value of the field's kind.
 */
import { isAppError } from '@tenon/core';
import { compile } from '@tenon/db';
import {
  type CompiledEntity,
  type FieldDef,
  type FilterNode,
  fieldOrSystem,
  filterSql,
  type TenantMetamodel,
} from '@tenon/design';

const SAMPLE_UUID = '01890000-0000-7000-8000-000000000000';

function sampleOf(field: FieldDef | undefined): unknown {
  switch (field?.kind) {
    case 'link':
    case 'multi_link':
    case 'attachment':
      return SAMPLE_UUID;
    case 'integer':
    case 'decimal':
    case 'money':
    case 'quantity':
      return '1';
    case 'date':
      return '2000-01-01';
    case 'datetime':
      return '2000-01-01T00:00:00Z';
    case 'time':
      return '00:00';
    case 'boolean':
      return true;
    case 'select':
      return field.options?.[0]?.value ?? 'x';
    default:
      return 'x';
  }
}

/** The field a condition names (`owner`, or one link hop such as `customer.region`). */
function fieldAt(metamodel: TenantMetamodel, entity: CompiledEntity, path: string): FieldDef | undefined {
  const [head, tail] = path.split('.', 2) as [string, string | undefined];
  const field = fieldOrSystem(entity, head);
  if (tail === undefined || !field?.target) return field;
  const target = metamodel.find(field.target);
  return target ? fieldOrSystem(target, tail) : undefined;
}

function withSamples(metamodel: TenantMetamodel, entity: CompiledEntity, node: FilterNode): FilterNode {
  if (typeof node !== 'object' || node === null) return node;
  if ('and' in node && Array.isArray(node.and))
    return { and: node.and.map((n) => withSamples(metamodel, entity, n)) };
  if ('or' in node && Array.isArray(node.or))
    return { or: node.or.map((n) => withSamples(metamodel, entity, n)) };
  const condition = node as { field?: unknown; op?: unknown; value?: unknown };
  if (typeof condition.value !== 'string' || !condition.value.startsWith('$user.')) return node;
  const sample = sampleOf(
    typeof condition.field === 'string' ? fieldAt(metamodel, entity, condition.field) : undefined,
  );
  const value = condition.op === 'in' || condition.op === 'nin' ? [sample] : sample;
  return { ...(node as object), value } as FilterNode;
}

/** Null when the condition is valid for the entity; else the reason. */
export function rowConditionProblem(
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  where: FilterNode,
): string | null {
  try {
    compile(filterSql(metamodel, entity, 't', withSamples(metamodel, entity, where)));
    return null;
  } catch (err) {
    if (isAppError(err)) return String(err.params.reason ?? err.message);
    throw err;
  }
}
