/**
 * List defaults: how an entity's generated list opens for whoever has no default view of their own —
 * visible columns, sort, page size and an optional filter — a design object of kind `list` named after
 * its entity, saved through `/api/v1/meta/objects/list` once the composition root installs
 * `consoleModule`. `GET /api/v1/lists/:entity` answers it to every user who may read the entity (null
 * when there is none); fields their roles hide are left out of what they get.
 *
 * ```json
 * { "entity": "patient", "columns": ["full_name", "phone"], "sort": ["-created_at"], "pageSize": 20,
 *   "filter": { "field": "active", "op": "eq", "value": true } }
 * ```
 */
import { AppError, type FieldError } from '@tenon/core';
import {
  type FilterNode,
  fieldOrSystem,
  filterSql,
  loadObjects,
  MetaErrors,
  type ObjectKind,
  parseListQuery,
} from '@tenon/design';
import type { FastifyInstance } from 'fastify';
import { authOf, metamodelOf, type ServerDeps, tenantOf } from '../context.ts';
import { send } from '../envelope.ts';
import { filterFields } from '../me/view-state.ts';
import { isLabel, isObj } from './object-checks.ts';

const KEYS = new Set(['name', 'entity', 'label', 'columns', 'sort', 'pageSize', 'filter']);
/** The page sizes the console's list offers. */
export const LIST_PAGE_SIZES = [20, 50, 100, 200];

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

export const listDefaultsKind: ObjectKind = {
  kind: 'list',
  label: { 'zh-CN': '列表默认', en: 'List defaults' },
  check(input, ctx) {
    if (!isObj(input))
      return { errors: [{ field: '', code: 'type', message: 'list defaults are an object' }] };
    const errors: FieldError[] = [];
    const fail = (field: string, code: string, message: string): void => {
      errors.push({ field, code, message });
    };
    for (const key of Object.keys(input))
      if (!KEYS.has(key)) fail(key, 'unknown', 'not a list defaults property');
    const entity = typeof input.entity === 'string' ? ctx.metamodel.find(input.entity) : undefined;
    if (!entity)
      return {
        errors: [...errors, { field: 'entity', code: 'unknown_entity', message: 'an entity that exists' }],
      };
    if (input.name !== undefined && input.name !== input.entity)
      fail('name', 'name', 'the name is the entity');
    if (input.label !== undefined && !isLabel(input.label))
      fail('label', 'label', 'a label in zh-CN and/or en');
    if (input.columns !== undefined) {
      if (!strings(input.columns) || input.columns.length === 0)
        fail('columns', 'type', 'a non-empty list of field names');
      else
        for (const [i, name] of input.columns.entries()) {
          const field = fieldOrSystem(entity, name);
          if (!field || field.kind === 'children')
            fail(`columns.${i}`, 'unknown_field', `no column ${name} in ${entity.def.name}`);
          else if (input.columns.indexOf(name) !== i) fail(`columns.${i}`, 'duplicate', `${name} twice`);
        }
    }
    if (input.sort !== undefined) {
      if (!strings(input.sort) || input.sort.length > 10)
        fail('sort', 'type', 'up to 10 field names, `-` first for descending');
      else {
        try {
          parseListQuery(entity, { sort: input.sort.join(',') });
        } catch (err) {
          fail('sort', 'invalid', err instanceof AppError ? err.message : 'not a sort');
        }
      }
    }
    if (input.pageSize !== undefined && !LIST_PAGE_SIZES.includes(input.pageSize as number))
      fail('pageSize', 'option', `one of ${LIST_PAGE_SIZES.join(', ')}`);
    if (input.filter !== undefined && input.filter !== null) {
      try {
        filterSql(ctx.metamodel, entity, 't', input.filter as FilterNode);
      } catch (err) {
        fail('filter', 'invalid', err instanceof AppError ? err.message : 'not a filter');
      }
    }
    if (errors.length > 0) return { errors };
    return { value: { ...input, name: entity.def.name } };
  },
};

export function listDefaultsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Params: { entity: string } }>('/api/v1/lists/:entity', async (request, reply) => {
    const { entity } = request.params;
    const metamodel = await metamodelOf(deps, request);
    const read = authOf(request).policy.decide(entity, 'read');
    if (!metamodel.find(entity) || !read.allowed) {
      throw new AppError(MetaErrors.META_ENTITY_NOT_FOUND, { name: entity });
    }
    const stored = (await loadObjects(deps.db, tenantOf(request).schemaName, 'list')).find(
      (o) => o.name === entity,
    );
    if (!stored) return send(reply, null);
    const defaults = stored.definition as { columns?: string[]; sort?: string[]; filter?: FilterNode | null };
    // What a role hides is not offered: such columns and sort keys are dropped, such a filter too.
    const hidden = read.hiddenFields;
    const visible = (name: string) => !hidden.has(name.replace(/^-/, '').split('.')[0] ?? '');
    return send(reply, {
      ...defaults,
      ...(defaults.columns ? { columns: defaults.columns.filter(visible) } : {}),
      ...(defaults.sort ? { sort: defaults.sort.filter(visible) } : {}),
      ...(defaults.filter && !filterFields(defaults.filter).every(visible) ? { filter: null } : {}),
    });
  });
}
