/** Dashboard texts: a widget's default title and its groups' labels in both languages. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import '../../api/me.ts';
import type { EntityDef } from '../../api/types.ts';
import i18n from '../../i18n/index.ts';
import { groupLabel, widgetTitle } from '../widget-labels.ts';

const deal: EntityDef = {
  name: 'deal',
  label: { 'zh-CN': '商机', en: 'Deal' },
  fields: [
    { name: 'amount', label: { 'zh-CN': '金额', en: 'Amount' }, kind: 'decimal' },
    {
      name: 'stage',
      label: { 'zh-CN': '阶段', en: 'Stage' },
      kind: 'select',
      options: [{ value: 'won', label: { 'zh-CN': '已赢单', en: 'Won' } }],
    },
    { name: 'closed', label: { 'zh-CN': '已关闭', en: 'Closed' }, kind: 'boolean' },
    { name: 'company', label: { 'zh-CN': '公司', en: 'Company' }, kind: 'link', target: 'company' },
  ],
};

before(() => i18n.changeLanguage('zh-CN'));

test('a widget without a title is named by its entity, measure and grouping', async () => {
  const t = i18n.t.bind(i18n);
  assert.equal(
    widgetTitle({ id: 'a', type: 'kpi', entity: 'deal', measure: 'count' }, deal, 'zh-CN', t),
    '商机 · 记录数',
  );
  await i18n.changeLanguage('en');
  assert.equal(
    widgetTitle(
      { id: 'b', type: 'chart', entity: 'deal', measure: 'sum:amount', groupBy: 'stage' },
      deal,
      'en',
      t,
    ),
    'Deal · Sum of Amount / Stage',
  );
  assert.equal(
    widgetTitle({ id: 'c', type: 'kpi', entity: 'deal', measure: 'count', title: 'Mine' }, deal, 'en', t),
    'Mine',
  );
  await i18n.changeLanguage('zh-CN');
});

test('group keys read as option labels, yes/no, link titles, or (空)', () => {
  const t = i18n.t.bind(i18n);
  assert.equal(groupLabel({ key: 'won', value: '2' }, deal, 'stage', 'zh-CN', t), '已赢单');
  assert.equal(groupLabel({ key: 'won', value: '2' }, deal, 'stage', 'en', t), 'Won');
  assert.equal(groupLabel({ key: 'true', value: '1' }, deal, 'closed', 'zh-CN', t), t('form.yes'));
  assert.equal(groupLabel({ key: 'x-id', label: 'Acme', value: '1' }, deal, 'company', 'zh-CN', t), 'Acme');
  assert.equal(groupLabel({ key: null, value: '4' }, deal, 'stage', 'zh-CN', t), '（空）');
  assert.equal(
    groupLabel({ key: '2026-01-01', value: '4' }, deal, 'created_at:month', 'zh-CN', t),
    '2026-01-01',
  );
});
