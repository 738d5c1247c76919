/**
 * Form layouts: how an entity's generated form and detail group their fields (sections or tabs, and
 * columns), a design object of kind `form` named after its entity, saved through
 * `/api/v1/meta/objects/form` like any other kind once the composition root installs `consoleModule`.
 * `GET /api/v1/forms/:entity` answers the layout to
 * every user who may read the entity (null when there is none), since the console needs it outside the
 * designer. Fields the layout leaves out are shown after its sections.
 *
 * ```json
 * { "entity": "patient", "label": { "zh-CN": "患者表单" }, "style": "tabs", "columns": 2,
 *   "sections": [{ "label": { "zh-CN": "基本信息", "en": "Basics" }, "fields": ["full_name", "age"] }] }
 * ```
 */
import { AppError, type FieldError } from '@tenon/core';
import { defineModule, loadObjects, MetaErrors, type ObjectKind } from '@tenon/design';
import type { FastifyInstance } from 'fastify';
import { authOf, metamodelOf, type ServerDeps, tenantOf } from '../context.ts';
import { send } from '../envelope.ts';
import { listDefaultsKind } from './list-defaults.routes.ts';
import { menuKind } from './menus.routes.ts';
import { isLabel, isObj } from './object-checks.ts';

const KEYS = new Set(['name', 'entity', 'label', 'style', 'columns', 'sections']);
const SECTION_KEYS = new Set(['label', 'columns', 'fields']);
const isColumns = (v: unknown) =>
  v === undefined || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 4);

export const formLayoutKind: ObjectKind = {
  kind: 'form',
  label: { 'zh-CN': '表单布局', en: 'Form layout' },
  check(input, ctx) {
    if (!isObj(input))
      return { errors: [{ field: '', code: 'type', message: 'a form layout is an object' }] };
    const errors: FieldError[] = [];
    const fail = (field: string, code: string, message: string): void => {
      errors.push({ field, code, message });
    };
    for (const key of Object.keys(input))
      if (!KEYS.has(key)) fail(key, 'unknown', 'not a form layout property');
    const entity = typeof input.entity === 'string' ? ctx.metamodel.find(input.entity) : undefined;
    if (!entity) fail('entity', 'unknown_entity', 'an entity that exists');
    if (input.name !== undefined && input.name !== input.entity)
      fail('name', 'name', 'the name is the entity');
    if (input.label !== undefined && !isLabel(input.label))
      fail('label', 'label', 'a label in zh-CN and/or en');
    if (input.style !== undefined && input.style !== 'sections' && input.style !== 'tabs')
      fail('style', 'option', 'sections or tabs');
    if (!isColumns(input.columns)) fail('columns', 'range', '1 to 4');
    const sections = input.sections;
    if (!Array.isArray(sections) || sections.length === 0 || sections.length > 20) {
      fail('sections', 'required', '1 to 20 sections');
    } else {
      const seen = new Set<string>();
      for (const [i, s] of sections.entries()) {
        const at = `sections.${i}`;
        if (!isObj(s)) {
          fail(at, 'type', 'a section is an object');
          continue;
        }
        for (const key of Object.keys(s))
          if (!SECTION_KEYS.has(key)) fail(`${at}.${key}`, 'unknown', 'not a section property');
        if (!isLabel(s.label)) fail(`${at}.label`, 'label', 'a label in zh-CN and/or en is required');
        if (!isColumns(s.columns)) fail(`${at}.columns`, 'range', '1 to 4');
        if (!Array.isArray(s.fields)) {
          fail(`${at}.fields`, 'required', 'a list of field names');
          continue;
        }
        for (const [j, f] of (s.fields as unknown[]).entries()) {
          if (typeof f !== 'string' || (entity && !entity.fields.has(f)))
            fail(`${at}.fields.${j}`, 'unknown_field', `no field ${String(f)} in ${String(input.entity)}`);
          else if (seen.has(f)) fail(`${at}.fields.${j}`, 'duplicate', `${f} is in two sections`);
          else seen.add(f);
        }
      }
    }
    if (errors.length > 0) return { errors };
    return { value: { ...input, name: input.entity as string } };
  },
};

/**
 * The console's design-object kinds (form layouts, list defaults, menus), installed like a module by the
 * composition root.
 */
export const consoleModule = defineModule({
  name: 'console',
  entities: [],
  objectKinds: [formLayoutKind, listDefaultsKind, menuKind],
});

export function formLayoutRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Params: { entity: string } }>('/api/v1/forms/:entity', async (request, reply) => {
    const { entity } = request.params;
    const metamodel = await metamodelOf(deps, request);
    if (!metamodel.find(entity) || !authOf(request).policy.decide(entity, 'read').allowed) {
      throw new AppError(MetaErrors.META_ENTITY_NOT_FOUND, { name: entity });
    }
    const layouts = await loadObjects(deps.db, tenantOf(request).schemaName, 'form');
    return send(reply, layouts.find((o) => o.name === entity)?.definition ?? null);
  });
}
