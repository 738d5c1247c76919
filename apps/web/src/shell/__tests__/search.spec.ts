/** Global search: which entities are searched by which field, one call each, failures skipped. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EntityDef } from '../../api/types.ts';
import { searchEverywhere, searchTargets } from '../search.ts';

const entities: EntityDef[] = [
  { name: 'patient', label: {}, titleField: 'full_name', fields: [] },
  { name: 'item', label: {}, fields: [{ name: 'code', label: {}, kind: 'sequence' }] },
  { name: 'visit', label: {}, childOf: 'patient', fields: [{ name: 'x', label: {}, kind: 'string' }] },
  { name: 'counter', label: {}, fields: [{ name: 'n', label: {}, kind: 'integer' }] },
  { name: 'broken', label: {}, fields: [{ name: 'name', label: {}, kind: 'string' }] },
];

test('searches top-level entities with a text title, by that field', () => {
  assert.deepEqual(searchTargets(entities), [
    { entity: 'patient', field: 'full_name' },
    { entity: 'item', field: 'code' },
    { entity: 'broken', field: 'name' },
  ]);
});

test('one contains-filtered list call per entity; a failing entity is skipped', async () => {
  const urls: string[] = [];
  const call = (async (url: string) => {
    urls.push(decodeURIComponent(url));
    if (url.startsWith('/api/v1/broken')) throw new Error('403');
    if (url.startsWith('/api/v1/patient')) return { items: [{ id: 'p1', full_name: '王小美' }] };
    return { items: [] };
  }) as never;
  const hits = await searchEverywhere(entities, ' 王 ', call);
  assert.deepEqual(hits, [{ entity: 'patient', id: 'p1', title: '王小美' }]);
  assert.equal(urls.length, 3);
  assert.ok(urls[0]!.includes('filter[full_name][contains]=王'));
  assert.ok(urls[0]!.includes('pageSize=5'));
  assert.deepEqual(await searchEverywhere(entities, '   ', call), []);
  assert.equal(urls.length, 3);
});
