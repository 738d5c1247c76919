// @jsxRuntime automatic
/** The bulk bar: the request it sends for "set field", and its result dialog (count, or each row's errors). */

// The DOM must exist before React loads, so this side-effect import stays first.
import '../../test-dom.ts';
import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import type { NavEntity } from '../../api/navigation.ts';
import i18n from '../../i18n/index.ts';
import { closeDom } from '../../test-dom.ts';
import { BulkBar } from '../BulkBar.tsx';

afterEach(cleanup);
after(closeDom);

const A = '01900000-0000-7000-8000-00000000000a';
const B = '01900000-0000-7000-8000-00000000000b';
const deal: NavEntity = {
  name: 'deal',
  label: { 'zh-CN': '商机' },
  titleField: 'title',
  fields: [{ name: 'title', label: { 'zh-CN': '标题' }, kind: 'string' }],
  can: { create: true, update: true, delete: true, export: true, import: true },
  readOnlyFields: [],
};

function answer(status: number, body: unknown) {
  const sent: { url: string; body: unknown }[] = [];
  globalThis.fetch = (async (url: string, init?: RequestInit) => {
    sent.push({ url, body: init?.body ? JSON.parse(String(init.body)) : null });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return sent;
}

async function setTitle(onChanged: () => void) {
  await i18n.changeLanguage('zh-CN');
  render(
    <App>
      <BulkBar
        entity={deal}
        ids={[A, B]}
        all={false}
        total={5}
        filter={null}
        query={{ conditions: [], sort: [], pageSize: 50 }}
        rows={[
          { id: A, title: '大单 A' },
          { id: B, title: '大单 B' },
        ]}
        onSelectAll={() => {}}
        onClear={() => {}}
        onChanged={onChanged}
      />
    </App>,
  );
  screen.getByText('已选 2 条');
  screen.getByText('选择全部 5 条匹配记录');
  await act(async () => fireEvent.click(screen.getByText('设置字段')));
  const input = document.querySelector('#bulk-value') as HTMLInputElement;
  await act(async () => fireEvent.change(input, { target: { value: '新标题' } }));
  await act(async () => fireEvent.click(screen.getByText('执 行')));
}

test('sends the selection and the field, then says how many were done', async () => {
  const sent = answer(200, { code: 200, data: { operation: 'update', count: 2, ids: [A, B] } });
  let changed = 0;
  await setTitle(() => changed++);
  await waitFor(() => screen.getByText('已完成 2 条'));
  assert.deepEqual(sent, [
    { url: '/api/v1/deal/_bulk', body: { ids: [A, B], operation: 'update', patch: { title: '新标题' } } },
  ]);
  assert.equal(changed, 1);
});

test('lists each failing row by its title with its errors, and reloads nothing', async () => {
  answer(422, {
    code: 422,
    message: '1 行失败，所有更改均未保存',
    error: {
      code: 'CONSOLE_BULK_ROWS_FAILED',
      details: [
        { field: `${B}.title`, code: 'maxLength', message: '太长' },
        { field: `${B}`, code: 'ACCESS_ROW_DENIED', message: '无权保存' },
      ],
    },
  });
  let changed = 0;
  await setTitle(() => changed++);
  await waitFor(() => screen.getByText('1 行失败，所有更改均未保存：'));
  const row = screen.getByText('大单 B').closest('li');
  assert.match(row?.textContent ?? '', /title: 太长; 无权保存/);
  assert.equal(screen.queryByText('大单 A'), null);
  assert.equal(changed, 0);
});
