// @jsxRuntime automatic
/** Every field kind's input: renders its value and hands up the JSON value the API takes. */

// The DOM must exist before React loads (react-dom decides what it can use when it is first imported),
// so this side-effect import stays first.
import '../../test-dom.ts';
import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import type { EntityDef, FieldDef, FieldKind } from '../../api/types.ts';
import { FIELD_KINDS } from '../../api/types.ts';
import '../../i18n/index.ts';
import { closeDom } from '../../test-dom.ts';
import { type FieldServices, FieldServicesContext } from '../context.ts';
import { INPUTS } from '../registry.tsx';

afterEach(cleanup);
after(closeDom);

const line: EntityDef = {
  name: 'order_line',
  label: { 'zh-CN': '行' },
  childOf: 'order',
  fields: [{ name: 'item', label: { 'zh-CN': '物料', en: 'Item' }, kind: 'string' }],
};
const services: FieldServices = {
  entity: (n) => (n === 'order_line' ? line : undefined),
  search: async () => [{ id: '0190a0a0-0000-7000-8000-000000000001', name: '精密零件' }],
  upload: async () => '0190a0a0-0000-7000-8000-0000000000ff',
  open: () => {},
  createNew: () => {},
};

function field(kind: FieldKind, extra: Partial<FieldDef> = {}): FieldDef {
  return { name: 'f', label: { 'zh-CN': '字段', en: 'Field' }, kind, ...extra };
}

function mount(
  kind: FieldKind,
  value: unknown,
  extra: Partial<FieldDef> = {},
  record?: Record<string, unknown>,
) {
  const Input = INPUTS[kind];
  const changes: unknown[] = [];
  const view = render(
    <FieldServicesContext.Provider value={services}>
      <Input
        id="x"
        field={field(kind, extra)}
        value={value}
        record={record}
        onChange={(v) => changes.push(v)}
      />
    </FieldServicesContext.Provider>,
  );
  return { view, changes, el: () => view.container.querySelector('#x') as HTMLInputElement };
}

test('every field kind has an input', () => {
  for (const kind of FIELD_KINDS) assert.equal(typeof INPUTS[kind], 'function', kind);
});

test('StringInput and TextInput: text up, empty text is null', () => {
  for (const kind of ['string', 'text'] as const) {
    const { el, changes } = mount(kind, '王小美');
    assert.equal(el().value, '王小美');
    fireEvent.change(el(), { target: { value: '李四' } });
    fireEvent.change(el(), { target: { value: '' } });
    assert.deepEqual(changes, ['李四', null]);
    cleanup();
  }
});

test('IntegerInput: a number up', () => {
  const { el, changes } = mount('integer', 3);
  assert.equal(el().value, '3');
  fireEvent.change(el(), { target: { value: '42' } });
  assert.deepEqual(changes, [42]);
});

test('DecimalInput, MoneyInput, QuantityInput: decimal strings, never floats', () => {
  const d = mount('decimal', '0.1');
  assert.equal(d.el().value, '0.1');
  fireEvent.change(d.el(), { target: { value: '12,345.678901234567890' } });
  assert.deepEqual(d.changes, ['12345.678901234567890']);
  cleanup();
  const m = mount('money', '1234.50', { currency: 'CNY' });
  assert.match(m.view.container.textContent ?? '', /CNY/);
  fireEvent.change(m.el(), { target: { value: '９９.５' } });
  fireEvent.change(m.el(), { target: { value: '12abc' } });
  assert.deepEqual(m.changes, ['99.5', '12abc']);
  cleanup();
  const q = mount('quantity', '2.5', { uomField: 'uom' }, { uom: 'kg' });
  assert.match(q.view.container.textContent ?? '', /kg/);
  fireEvent.change(q.el(), { target: { value: '3.25' } });
  assert.deepEqual(q.changes, ['3.25']);
});

test('BooleanInput: true/false', () => {
  const { el, changes } = mount('boolean', false);
  fireEvent.click(el());
  assert.deepEqual(changes, [true]);
});

test('DateInput and TimeInput: the plain string', () => {
  const d = mount('date', '2025-01-07');
  assert.equal(d.el().value, '2025-01-07');
  fireEvent.change(d.el(), { target: { value: '2025-02-01' } });
  assert.deepEqual(d.changes, ['2025-02-01']);
  cleanup();
  const t = mount('time', '09:30');
  fireEvent.change(t.el(), { target: { value: '10:15' } });
  assert.deepEqual(t.changes, ['10:15']);
});

test("DatetimeInput: shown in the user's time zone, sent as UTC", () => {
  localStorage.setItem('tenon.timeZone', 'Asia/Shanghai');
  const { el, changes } = mount('datetime', '2025-01-07T02:30:00Z');
  assert.equal(el().value, '2025-01-07T10:30');
  fireEvent.change(el(), { target: { value: '2025-01-08T08:00' } });
  assert.deepEqual(changes, ['2025-01-08T00:00:00Z']);
  localStorage.removeItem('tenon.timeZone');
});

test('SelectInput: shows the option label', () => {
  const { view } = mount('select', 'A', {
    options: [{ value: 'A', label: { 'zh-CN': '甲级', en: 'Grade A' } }],
  });
  assert.match(view.container.textContent ?? '', /甲级/);
});

test('LinkInput and MultiLinkInput: show expanded titles, offer "create new"', () => {
  const l = mount(
    'link',
    { id: '0190a0a0-0000-7000-8000-000000000001', name: '精密零件' },
    { target: 'part' },
  );
  assert.match(l.view.container.textContent ?? '', /精密零件|0190a0a0/);
  assert.ok(l.view.getByLabelText('create'));
  cleanup();
  const m = mount('multi_link', [], { target: 'part' });
  assert.ok(m.view.container.querySelector('.ant-select-multiple'));
});

test('ChildrenInput: an editable grid that adds and edits lines', async () => {
  const { view, changes } = mount('children', [{ item: '螺丝' }], { target: 'order_line' });
  const cell = view.container.querySelector('#f-0-item') as HTMLInputElement;
  assert.equal(cell.value, '螺丝');
  fireEvent.change(cell, { target: { value: '螺母' } });
  await act(async () => {
    fireEvent.click(view.getByText('添加行'));
  });
  assert.deepEqual(changes, [[{ item: '螺母' }], [{ item: '螺丝' }, {}]]);
});

test('JsonInput: parsed JSON up, invalid JSON marked', () => {
  const { el, changes } = mount('json', { a: 1 });
  fireEvent.change(el(), { target: { value: '{"b":[1,2]}' } });
  fireEvent.change(el(), { target: { value: '{oops' } });
  assert.deepEqual(changes, [{ b: [1, 2] }, { $invalidJson: '{oops' }]);
});

test('AttachmentInput: an upload button and the current file', () => {
  const { view } = mount('attachment', '0190a0a0-0000-7000-8000-0000000000ff');
  assert.match(view.container.textContent ?? '', /上\s*传/);
  assert.match(view.container.textContent ?? '', /0190a0a0/);
});

test('FormulaInput and SequenceInput: read-only', () => {
  for (const kind of ['formula', 'sequence'] as const) {
    const { el } = mount(kind, 'PAT-00001');
    assert.equal(el().value, 'PAT-00001');
    assert.equal(el().disabled, true);
    cleanup();
  }
});
