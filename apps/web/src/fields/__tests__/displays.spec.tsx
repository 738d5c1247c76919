// @jsxRuntime automatic
/** Every field kind's display: what a user reads from the API's JSON value (decimals as strings). */

// The DOM must exist before React loads (react-dom decides what it can use when it is first imported),
// so this side-effect import stays first.
import '../../test-dom.ts';
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import type { EntityDef, FieldDef, FieldKind } from '../../api/types.ts';
import { FIELD_KINDS } from '../../api/types.ts';
import i18n from '../../i18n/index.ts';
import { closeDom } from '../../test-dom.ts';
import { type FieldServices, FieldServicesContext } from '../context.ts';
import { DISPLAYS, FieldDisplay } from '../registry.tsx';

afterEach(cleanup);
after(closeDom);
before(async () => {
  localStorage.setItem('tenon.timeZone', 'Asia/Shanghai');
  await i18n.changeLanguage('zh-CN');
});

const customer: EntityDef = {
  name: 'customer',
  label: { 'zh-CN': '客户' },
  titleField: 'name',
  fields: [{ name: 'name', label: { 'zh-CN': '名称' }, kind: 'string' }],
};
const line: EntityDef = {
  name: 'order_line',
  label: { 'zh-CN': '行' },
  childOf: 'order',
  fields: [
    { name: 'item', label: { 'zh-CN': '物料', en: 'Item' }, kind: 'string' },
    { name: 'amount', label: { 'zh-CN': '金额', en: 'Amount' }, kind: 'money', currency: 'CNY' },
  ],
};
const opened: string[] = [];
const services: FieldServices = {
  entity: (n) => (n === 'order_line' ? line : n === 'customer' ? customer : undefined),
  search: async () => [],
  upload: async () => '',
  open: (id) => opened.push(id),
  createNew: () => {},
};

function show(
  kind: FieldKind,
  value: unknown,
  extra: Partial<FieldDef> = {},
  record?: Record<string, unknown>,
) {
  const field: FieldDef = { name: 'f', label: { 'zh-CN': '字段', en: 'Field' }, kind, ...extra };
  const view = render(
    <FieldServicesContext.Provider value={services}>
      <FieldDisplay field={field} value={value} record={record} />
    </FieldServicesContext.Provider>,
  );
  return { view, text: view.container.textContent ?? '' };
}

test('every field kind has a display, and empty values show a dash', () => {
  assert.deepEqual(Object.keys(DISPLAYS).sort(), [...FIELD_KINDS].sort());
  for (const kind of FIELD_KINDS) {
    const { text } = show(kind, null);
    assert.equal(text, '—', `${kind} shows a dash for null`);
    cleanup();
  }
});

test('string, text and sequence show the text as it is', () => {
  assert.equal(show('string', '王小美').text, '王小美');
  cleanup();
  const text = show('text', '第一行\n第二行');
  assert.equal(text.text, '第一行\n第二行');
  assert.equal((text.view.container.firstChild as HTMLElement).style.whiteSpace, 'pre-wrap');
  cleanup();
  assert.equal(show('sequence', 'PAT-202611-0001').text, 'PAT-202611-0001');
});

test('integer and decimal are grouped from the string, never through a float', () => {
  assert.equal(show('integer', 1234567).text, '1,234,567');
  cleanup();
  assert.equal(show('decimal', '12345678901234567.891').text, '12,345,678,901,234,567.891');
  cleanup();
  assert.equal(show('decimal', '0.1', { scale: 3 }).text, '0.100');
  cleanup();
  assert.equal(show('decimal', '-1234.5').text, '-1,234.5');
});

test('money uses the currency’s scale; quantity shows its unit', () => {
  assert.equal(show('money', '1234.5', { currency: 'CNY' }).text, 'CNY 1,234.50');
  cleanup();
  assert.equal(show('money', '1234', { currency: 'JPY' }).text, 'JPY 1,234');
  cleanup();
  assert.equal(
    show('money', '99999999999999.995', { currencyField: 'cur' }, { cur: 'USD' }).text,
    'USD 100,000,000,000,000.00',
  );
  cleanup();
  assert.equal(show('quantity', '12.500', { uomField: 'uom' }, { uom: 'kg' }).text, '12.500 kg');
});

test('boolean reads 是/否, in English Yes/No', async () => {
  assert.equal(show('boolean', true).text, '是');
  cleanup();
  assert.equal(show('boolean', false).text, '否');
  cleanup();
  await act(() => i18n.changeLanguage('en'));
  assert.equal(show('boolean', true).text, 'Yes');
  await act(() => i18n.changeLanguage('zh-CN'));
});

test('date and time are never shifted; datetime is shown in the user’s time zone', () => {
  assert.equal(show('date', '2026-03-08').text, '2026-03-08');
  cleanup();
  assert.equal(show('time', '09:30:00').text, '09:30');
  cleanup();
  // 2026-03-08T16:30Z is 2026-03-09 00:30 in Shanghai.
  const text = show('datetime', '2026-03-08T16:30:00.000Z').text;
  assert.match(text, /2026\/03\/09/);
  assert.match(text, /00:30:00/);
});

test('select shows the option label in the current language, or the raw value', async () => {
  const options = [{ value: 'vip', label: { 'zh-CN': '贵宾', en: 'VIP' } }];
  assert.equal(show('select', 'vip', { options }).text, '贵宾');
  cleanup();
  await act(() => i18n.changeLanguage('en'));
  assert.equal(show('select', 'vip', { options }).text, 'VIP');
  await act(() => i18n.changeLanguage('zh-CN'));
  cleanup();
  assert.equal(show('select', 'gone', { options }).text, 'gone');
});

test('link and multi-link show the target records’ titles', () => {
  const acme = { id: '0190a0a0-0000-7000-8000-000000000001', name: '精密零件厂' };
  assert.equal(show('link', acme, { target: 'customer' }).text, '精密零件厂');
  cleanup();
  assert.equal(show('link', acme.id, { target: 'customer' }).text, acme.id);
  cleanup();
  const many = show('multi_link', [acme, { id: 'b', name: '华东仓' }], { target: 'customer' });
  assert.equal(many.view.container.querySelectorAll('.ant-tag').length, 2);
  assert.match(many.text, /精密零件厂.*华东仓/);
});

test('children render a table of lines with their own displays', () => {
  const { view } = show(
    'children',
    [
      { id: 'l1', item: '洁牙', amount: '300' },
      { id: 'l2', item: '美白', amount: '1200.5' },
    ],
    { target: 'order_line' },
  );
  const headers = [...view.container.querySelectorAll('th')].map((th) => th.textContent);
  assert.deepEqual(headers, ['物料', '金额']);
  const cells = [...view.container.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent),
  );
  assert.deepEqual(cells, [
    ['洁牙', 'CNY 300.00'],
    ['美白', 'CNY 1,200.50'],
  ]);
});

test('json shows compact JSON; formula follows its result kind', () => {
  assert.equal(show('json', { a: [1, 2] }).text, '{"a":[1,2]}');
  cleanup();
  assert.equal(show('formula', '1234.5', { resultKind: 'decimal' }).text, '1,234.5');
  cleanup();
  assert.equal(show('formula', true, { resultKind: 'boolean' }).text, '是');
  cleanup();
  assert.equal(show('formula', 'A-1', { resultKind: 'string' }).text, 'A-1');
});

test('an attachment opens its file through the field services', () => {
  const { view, text } = show('attachment', { id: 'file-1', name: '报告.pdf' });
  assert.match(text, /报告\.pdf/);
  fireEvent.click(view.container.querySelector('button')!);
  assert.deepEqual(opened, ['file-1']);
});
