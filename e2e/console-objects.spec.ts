/**
 * The designer for services and rules in a real browser: a service with a Chinese label, a rule whose
 * CEL condition is checked by the server as it is typed (an error, then valid), test-run against two
 * sample records (matched, not matched), saved and readable through the API; a form layout with tabs
 * started from the entity, then used by the record's form and detail.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TestServer } from '../packages/server/src/testing.ts';
import {
  ARTIFACTS,
  clickThrough,
  zhEn as label,
  openBrowser,
  signIn,
  startConsoleServer,
} from './browser.ts';

let server: TestServer;
let base: string;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

before(async () => {
  ({ server, base } = await startConsoleServer([
    {
      name: 'patient',
      label: label('患者', 'Patient'),
      titleField: 'full_name',
      fields: [
        { name: 'full_name', label: label('姓名', 'Name'), kind: 'string' },
        { name: 'age', label: label('年龄', 'Age'), kind: 'integer' },
        { name: 'phone', label: label('电话', 'Phone'), kind: 'string' },
      ],
    },
  ]));
  browser = await openBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
  await signIn(page, base, `admin@${server.tenant.name}`, 'admin-password-1');
});

// The page as the test left it, for a failing run's artefacts.
afterEach(async (t) => {
  await page
    ?.screenshot({ path: join(ARTIFACTS, `last-${t.name.replace(/\W+/g, '-')}.png`), fullPage: true })
    .catch(() => {});
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('creates a service with a Chinese label', async () => {
  await page.getByRole('menuitem', { name: '设计器' }).click();
  await clickThrough(page, page.getByRole('menuitem', { name: '服务' }), /\/designer\/objects\/service$/);
  await page.locator('#object-label-zh').fill('测体温');
  await page.locator('#object-label-en').fill('Temperature check');
  await page.getByRole('button', { name: /^保\s*存$/ }).click();
  await page.waitForURL(/\/designer\/objects\/service\/[a-z_]+$/);
  await page.locator('.ant-list-item', { hasText: '测体温' }).waitFor();
  const services = await server.call('GET', '/api/v1/meta/objects/service');
  assert.equal(services.body.data.items.length, 1);
  assert.equal(services.body.data.items[0].definition.label.en, 'Temperature check');
});

test('checks a rule’s CEL condition as it is typed and test-runs it', async () => {
  await page.getByRole('tab', { name: '规则' }).click();
  await page.waitForURL(/\/designer\/objects\/rule$/);
  await page.locator('#object-json').fill(
    JSON.stringify({
      name: 'wang_notice',
      label: { 'zh-CN': '王姓患者提醒', en: 'Wang notice' },
      event: { topic: 'record.created', entity: 'patient' },
      instructions: [{ do: 'notify', role: 'admin', title: { 'zh-CN': '新王姓患者', en: 'New Wang' } }],
    }),
  );
  const condition = page.locator('#object-condition');
  await condition.fill('record.full_name.startsWith(');
  await page.locator('.tenon-cel-status .ant-typography-danger').first().waitFor();
  await condition.fill('record.no_such_field == "x"');
  await page.locator('.tenon-cel-status .ant-typography-danger').first().waitFor();
  await condition.fill('record.full_name.startsWith("王")');
  await page.locator('.tenon-cel-status').getByText('表达式有效').waitFor();
  await shot('objects-01-rule');

  const sample = page.getByLabel('示例记录（JSON）');
  await sample.fill('{"full_name": "王小美"}');
  await page.locator('.tenon-run').click();
  await page.locator('.tenon-test-result').getByText('将执行').waitFor();
  await sample.fill('{"full_name": "李四"}');
  await page.locator('.tenon-run').click();
  await page.locator('.tenon-test-result').getByText('不会执行').waitFor();
  await shot('objects-02-test-run');

  await page.getByRole('button', { name: /^保\s*存$/ }).click();
  await page.waitForURL(/\/designer\/objects\/rule\/wang_notice$/);
  const rule = await server.call('GET', '/api/v1/meta/objects/rule/wang_notice');
  assert.equal(rule.status, 200);
  assert.equal(rule.body.data.definition.condition, 'record.full_name.startsWith("王")');
});

test('lays out a form in tabs, used by the record form and detail', async () => {
  await clickThrough(page, page.getByRole('menuitem', { name: '表单布局' }), /\/designer\/objects\/form$/);
  await page.locator('#object-entity').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="患者"]').click();
  await page.locator('#object-json').getByText('full_name').waitFor();
  const json = page.locator('#object-json');
  const start = JSON.parse(await json.inputValue());
  assert.deepEqual(start.sections[0].fields, ['full_name', 'age', 'phone']);
  await json.fill(
    JSON.stringify({
      ...start,
      style: 'tabs',
      sections: [
        { label: { 'zh-CN': '基本信息', en: 'Basics' }, fields: ['full_name', 'age'] },
        { label: { 'zh-CN': '联系方式', en: 'Contact' }, columns: 1, fields: ['phone'] },
      ],
    }),
  );
  await page.getByRole('button', { name: /^保\s*存$/ }).click();
  await page.waitForURL(/\/designer\/objects\/form\/patient$/);

  await page.goto(`${base}/data/patient/new`);
  await page.getByRole('tab', { name: '基本信息' }).waitFor();
  await page.locator('#field-full_name').fill('赵六');
  await page.getByRole('tab', { name: '联系方式' }).click();
  await page.locator('#field-phone').fill('13800000000');
  await shot('objects-03-form-tabs');
  await page.getByRole('button', { name: /^保\s*存$/ }).click();
  await page.waitForURL(/\/data\/patient\/[0-9a-f-]{36}$/);
  // The detail page renders its tabs after the record loads: a click during that render can be lost.
  for (let attempt = 1; ; attempt++) {
    await page.getByRole('tab', { name: '联系方式' }).click();
    try {
      await page.getByText('13800000000').waitFor({ timeout: 5000 });
      break;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
});

test('a designed menu replaces the generated data group', async () => {
  await page.goto(`${base}/designer/objects/menu`);
  await page.locator('#object-json').fill(
    JSON.stringify({
      name: 'main',
      groups: [
        {
          label: { 'zh-CN': '门诊', en: 'Clinic' },
          items: [{ entity: 'patient' }, { path: '/tasks', label: { 'zh-CN': '今日任务', en: 'Today' } }],
        },
      ],
    }),
  );
  await page.getByRole('button', { name: /^保\s*存$/ }).click();
  await page.waitForURL(/\/designer\/objects\/menu\/main$/);
  await page.reload();
  await page.getByRole('menuitem', { name: '门诊' }).waitFor();
  assert.equal(await page.getByRole('menuitem', { name: '数据' }).count(), 0);
  await clickThrough(page, page.getByRole('menuitem', { name: '今日任务' }), /\/tasks$/);
  await clickThrough(page, page.getByRole('menuitem', { name: '患者' }), /\/data\/patient$/);
  await shot('objects-04-menu');
});

test('list defaults from the designer decide how the list opens', async () => {
  for (const [full_name, age] of [
    ['钱七', 30],
    ['孙八', 52],
  ] as const)
    assert.equal((await server.call('POST', '/api/v1/patient', { full_name, age })).status, 201);
  await page.goto(`${base}/designer/objects/list`);
  await page.locator('#object-entity').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="患者"]').click();
  const json = page.locator('#object-json');
  await json.getByText('full_name').waitFor();
  const start = JSON.parse(await json.inputValue());
  assert.deepEqual(start.columns, ['full_name', 'age', 'phone']);
  await json.fill(JSON.stringify({ ...start, columns: ['full_name', 'age'], sort: ['-age'], pageSize: 20 }));
  await page.getByRole('button', { name: /^保\s*存$/ }).click();
  await page.waitForURL(/\/designer\/objects\/list\/patient$/);

  await page.goto(`${base}/data/patient`);
  await page.locator('.ant-table-row', { hasText: '孙八' }).waitFor();
  const headers = await page.locator('.ant-table-thead th').allInnerTexts();
  assert.ok(headers.some((h) => h.includes('年龄')));
  assert.ok(!headers.some((h) => h.includes('电话')), headers.join('|'));
  // Sorted by age, descending: the older patient first.
  const rows = await page.locator('.ant-table-row').allTextContents();
  const at = (name: string) => rows.findIndex((r) => r.includes(name));
  assert.ok(at('孙八') >= 0 && at('孙八') < at('钱七'), rows.join('|'));
  await shot('objects-05-list-defaults');
});
