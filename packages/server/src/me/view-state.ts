/**
 * What a saved view holds (filter tree, sort, visible columns, page size), checked against the entity
 * as the user sees it: the filter must pass the list API's own filter parser, and every field named
 * anywhere must exist and be visible to the user; the unknown ones are all named in one 400.
 */
import { AppError, type FieldError } from '@tenon/core';
import {
  type AccessPolicy,
  type CompiledEntity,
  type FilterNode,
  fieldOrSystem,
  filterSql,
  MAX_PAGE_SIZE,
  parseListQuery,
  type TenantMetamodel,
} from '@tenon/design';
import { ConsoleErrors } from './me-errors.ts';

export type ViewState = { filter: FilterNode | null; sort: string[]; columns: string[]; pageSize: number };

/** JSON Schema of the state (shape only; the fields are checked against the entity). */
export const VIEW_STATE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['filter', 'sort', 'columns', 'pageSize'],
  properties: {
    filter: { type: ['object', 'null'] },
    sort: { type: 'array', maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 100 } },
    columns: { type: 'array', maxItems: 200, items: { type: 'string', minLength: 1, maxLength: 100 } },
    pageSize: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
  },
} as const;

/** The field names a filter tree mentions (the first step of a link path). */
export function filterFields(node: FilterNode | null, into: string[] = []): string[] {
  if (!node || typeof node !== 'object') return into;
  if ('and' in node && Array.isArray(node.and)) for (const n of node.and) filterFields(n, into);
  else if ('or' in node && Array.isArray(node.or)) for (const n of node.or) filterFields(n, into);
  else if ('field' in node && typeof node.field === 'string') into.push(node.field.split('.')[0]!);
  return into;
}

function unknownFields(found: { path: string; name: string }[]): AppError {
  const details: FieldError[] = found.map(({ path, name }) => ({
    field: path,
    code: 'unknown_field',
    message: `unknown field ${name}`,
  }));
  const names = [...new Set(found.map((f) => f.name))].join(', ');
  return new AppError(ConsoleErrors.CONSOLE_VIEW_INVALID, { reason: `unknown fields: ${names}` }, details);
}

export function checkViewState(
  metamodel: TenantMetamodel,
  entity: CompiledEntity,
  access: AccessPolicy,
  state: ViewState,
): ViewState {
  const hidden = access.decide(entity.def.name, 'read').hiddenFields;
  const known = (name: string) => !!fieldOrSystem(entity, name) && !hidden.has(name);
  const unknown = [
    ...filterFields(state.filter).map((name) => ({ path: 'state.filter', name })),
    ...state.sort.map((s) => ({ path: 'state.sort', name: s.replace(/^-/, '') })),
    ...state.columns.map((name) => ({ path: 'state.columns', name })),
  ].filter((f) => !known(f.name));
  if (unknown.length > 0) throw unknownFields(unknown);
  filterSql(metamodel, entity, 't', state.filter, access);
  parseListQuery(entity, { sort: state.sort.join(',') });
  return state;
}
