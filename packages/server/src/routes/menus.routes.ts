/**
 * Menus: the console's menu as a design object of kind `menu` (in `consoleModule`), saved through
 * `/api/v1/meta/objects/menu`; `GET /api/v1/menus/:name` answers it to any signed-in user with the
 * entities they may not read left out (null when there is no such menu: the console builds its own).
 *
 * ```json
 * { "name": "main", "groups": [{ "label": { "zh-CN": "门诊" }, "items": [{ "entity": "patient" },
 *   { "path": "/tasks", "label": { "zh-CN": "我的任务" } }] }] }
 * ```
 */
import type { FieldError } from '@tenon/core';
import { loadObjects, type ObjectKind } from '@tenon/design';
import type { FastifyInstance } from 'fastify';
import { authOf, type ServerDeps, tenantOf } from '../context.ts';
import { send } from '../envelope.ts';
import { isLabel, isObj } from './object-checks.ts';

type Item = { entity?: string; path?: string; label?: unknown };
type Group = { label: unknown; items: Item[] };
/** Console screens a menu item may point at (records are reached through `entity`). */
const PATH = /^\/(tasks|schedule|designer|ops)(\/[a-z0-9_/-]*)?$|^\/$/;

export const menuKind: ObjectKind = {
  kind: 'menu',
  label: { 'zh-CN': '菜单', en: 'Menu' },
  check(input, ctx) {
    if (!isObj(input)) return { errors: [{ field: '', code: 'type', message: 'a menu is an object' }] };
    const errors: FieldError[] = [];
    const fail = (field: string, code: string, message: string): void => {
      errors.push({ field, code, message });
    };
    for (const key of Object.keys(input))
      if (!['name', 'label', 'groups'].includes(key)) fail(key, 'unknown', 'not a menu property');
    const name = input.name ?? 'main';
    if (typeof name !== 'string' || !/^[a-z][a-z0-9_]{0,47}$/.test(name)) fail('name', 'name', 'a-z, 0-9, _');
    if (input.label !== undefined && !isLabel(input.label))
      fail('label', 'label', 'a label in zh-CN and/or en');
    const groups = input.groups;
    if (!Array.isArray(groups) || groups.length === 0 || groups.length > 30) {
      fail('groups', 'required', '1 to 30 groups');
    } else {
      for (const [i, g] of groups.entries()) {
        const at = `groups.${i}`;
        if (!isObj(g) || !isLabel(g.label))
          fail(`${at}.label`, 'label', 'a label in zh-CN and/or en is required');
        const items = isObj(g) ? g.items : undefined;
        if (!Array.isArray(items) || items.length > 100) {
          fail(`${at}.items`, 'required', 'a list of at most 100 items');
          continue;
        }
        for (const [j, item] of items.entries()) {
          const it = `${at}.items.${j}`;
          if (isObj(item) && typeof item.entity === 'string' && Object.keys(item).length === 1) {
            if (!ctx.metamodel.find(item.entity))
              fail(`${it}.entity`, 'unknown_entity', `no entity ${item.entity}`);
          } else if (isObj(item) && typeof item.path === 'string') {
            if (!PATH.test(item.path))
              fail(`${it}.path`, 'path', 'a console screen: /, /tasks, /schedule, /designer…, /ops/…');
            if (!isLabel(item.label)) fail(`${it}.label`, 'label', 'a label in zh-CN and/or en is required');
          } else {
            fail(it, 'item', 'either { entity } or { path, label }');
          }
        }
      }
    }
    if (errors.length > 0) return { errors };
    return { value: { ...input, name: name as string } };
  },
};

export function menuRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Params: { name: string } }>('/api/v1/menus/:name', async (request, reply) => {
    const { policy } = authOf(request);
    const menus = await loadObjects(deps.db, tenantOf(request).schemaName, 'menu');
    const menu = menus.find((o) => o.name === request.params.name)?.definition;
    if (!menu) return send(reply, null);
    const groups = ((menu.groups ?? []) as Group[])
      .map((g) => ({
        ...g,
        items: g.items.filter((i) => !i.entity || policy.decide(i.entity, 'read').allowed),
      }))
      .filter((g) => g.items.length > 0);
    return send(reply, { ...menu, groups });
  });
}
