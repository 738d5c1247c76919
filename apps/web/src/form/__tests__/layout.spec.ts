/** Form layouts group the shown fields by section; fields left out follow in a last group. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldDef } from '../../api/types.ts';
import { groupFields } from '../layout.ts';

const f = (name: string, hidden = false): FieldDef => ({ name, label: {}, kind: 'string', hidden });
const fields = [f('a'), f('b'), f('c'), f('secret', true), f('d')];
const names = (groups: ReturnType<typeof groupFields>) =>
  groups.map((g) => [g.key, g.fields.map((x) => x.name)]);

test('without a layout: one unlabelled group of the shown fields', () => {
  const groups = groupFields(fields, null);
  assert.deepEqual(names(groups), [['all', ['a', 'b', 'c', 'd']]]);
  assert.equal(groups[0]!.label, null);
});

test('sections in their order, hidden and unknown fields left out, the rest last', () => {
  const groups = groupFields(fields, {
    entity: 'x',
    columns: 3,
    sections: [
      { label: { 'zh-CN': '甲' }, columns: 1, fields: ['c', 'secret', 'gone'] },
      { label: { 'zh-CN': '乙' }, fields: ['a'] },
      { label: { 'zh-CN': '空' }, fields: ['gone'] },
    ],
  });
  assert.deepEqual(names(groups), [
    ['s0', ['c']],
    ['s1', ['a']],
    ['rest', ['b', 'd']],
  ]);
  assert.deepEqual(
    groups.map((g) => g.columns),
    [1, 3, 3],
  );
});
