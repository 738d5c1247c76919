/** The generated menu: designed entities under "data" first, then one group per module in module order. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Navigation } from '../../api/navigation.ts';
import { entityGroups } from '../menu-groups.ts';

const can = { create: true, update: true, delete: true, export: true, import: true };
const entity = (name: string, source?: string, childOf?: string) => ({
  name,
  label: { 'zh-CN': name, en: name },
  fields: [],
  can,
  readOnlyFields: [],
  ...(source ? { source } : {}),
  ...(childOf ? { childOf } : {}),
});

const nav: Navigation = {
  user: { id: 'u', username: 'a', roles: [] },
  tenant: 't',
  passwordChangeRequired: false,
  canDesign: true,
  canWork: true,
  canAdminister: true,
  modules: [
    { name: 'inventory', label: { 'zh-CN': '库存', en: 'Inventory' } },
    { name: 'wms', label: { 'zh-CN': '仓储', en: 'Warehouse' } },
    { name: 'org', label: null },
  ],
  entities: [
    entity('asn', 'module:wms'),
    entity('item', 'module:inventory'),
    entity('patient', 'user'),
    entity('asn_line', 'module:wms', 'asn'),
    entity('company', 'module:org'),
    entity('stray', 'module:extra'),
    entity('visit'),
  ],
};

test('groups designed entities first, then each module under its label, children left out', () => {
  const groups = entityGroups(nav, 'zh-CN', '数据');
  assert.deepEqual(
    groups.map((g) => [g.key, g.label, g.entities.map((e) => e.name)]),
    [
      ['data', '数据', ['patient', 'visit']],
      ['module-inventory', '库存', ['item']],
      ['module-wms', '仓储', ['asn']],
      ['module-org', 'org', ['company']],
      ['module-extra', 'extra', ['stray']],
    ],
  );
});

test('labels follow the language', () => {
  assert.deepEqual(
    entityGroups(nav, 'en', 'Data').map((g) => g.label),
    ['Data', 'Inventory', 'Warehouse', 'org', 'extra'],
  );
});
