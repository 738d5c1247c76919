/**
 * The console in a real browser against a real server: sign in, design a Chinese-named entity with
 * seven field kinds and a child table, create/edit/filter/export records, the 412 conflict dialog,
 * the language switch and a phone-sized viewport. Screenshots go to e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { createTestServer, type TestServer } from '../packages/server/src/testing.ts';
import { ARTIFACTS, chooseOption, clickThrough, ensureConsoleBuilt, openBrowser } from './browser.ts';

let server: TestServer;
let base: string;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** Picks an option of the antd Select `select` by its visible label. */
const choose = (select: Locator, option: string) => chooseOption(page, select, option);

before(async () => {
  ensureConsoleBuilt();
  server = await createTestServer();
  base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await openBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
});

// The page as the test left it, for a failing run's artefacts.
afterEach(async (t) => {
  await page
    ?.screenshot({ path: join(ARTIFACTS, `last-${t.name.replace(/\W+/g, '-')}.png`) })
    .catch(() => {});
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('signs in (zh-CN by default)', async () => {
  await page.goto(base);
  await page.getByLabel('用户名').fill(`admin@${server.tenant.name}`);
  await page.getByLabel('密码').fill('admin-password-1');
  await page.getByRole('button', { name: /^登\s*录$/ }).click();
  await page.getByText('设计器').first().waitFor();
  await shot('01-home');
});

test('designs an entity with a Chinese name, seven field kinds and a child table', async () => {
  await page.goto(`${base}/designer`);
  await page.getByLabel('中文名称').fill('患者');
  await page.getByLabel('英文名称').fill('Patient');
  await page.getByLabel('entity name').fill('patient');
  const fields: [string, string, string, string][] = [
    ['姓名', 'Full name', 'full_name', '文本'],
    ['年龄', 'Age', 'age', '整数'],
    ['余额', 'Balance', 'balance', '金额'],
    ['生日', 'Birthday', 'birthday', '日期'],
    ['会员', 'Member', 'member', '是/否'],
    ['级别', 'Level', 'level', '单选'],
    ['就诊记录', 'Visits', 'visits', '明细表'],
  ];
  for (const [i, [zh, en, name, kind]] of fields.entries()) {
    if (i > 0) await page.locator('.tenon-add-field').last().click();
    const row = page.locator('.tenon-field-row').nth(i);
    await row.getByLabel('字段中文名').first().fill(zh);
    await row.getByLabel('字段英文名').first().fill(en);
    await row.getByLabel('name').first().fill(name);
    if (kind !== '文本') await choose(row.locator('.tenon-kind').first(), kind);
    if (name === 'full_name') await row.getByRole('checkbox').first().check();
  }
  await page.locator('.tenon-field-row').nth(5).getByLabel('选项（逗号分隔）').fill('A,B');
  // The child table's own fields.
  const visits = page.locator('.tenon-field-row').nth(6);
  const lines = visits.locator('.tenon-field-row');
  await lines.nth(0).getByLabel('字段中文名').fill('项目');
  await lines.nth(0).getByLabel('name').fill('item');
  await visits.locator('.tenon-add-field').click();
  await lines.nth(1).getByLabel('字段中文名').fill('金额');
  await lines.nth(1).getByLabel('name').fill('amount');
  await choose(lines.nth(1).locator('.tenon-kind'), '金额');

  await page.getByRole('button', { name: '预览变更' }).click();
  await page.locator('.tenon-plan').getByText('CREATE TABLE').first().waitFor();
  await shot('02-designer-plan');
  await page.getByRole('button', { name: /^应\s*用$/ }).click();
  await page.getByText('已应用').waitFor();
  const def = await server.call('GET', '/api/v1/meta/entities/patient');
  assert.equal(def.status, 200);
  assert.equal(def.body.data.label['zh-CN'], '患者');
  assert.deepEqual(
    def.body.data.fields.map((f: { kind: string }) => f.kind),
    ['string', 'integer', 'money', 'date', 'boolean', 'select', 'children'],
  );
  assert.equal(def.body.data.fields[0].required, true);
  await page.getByRole('menuitem', { name: '患者' }).waitFor();
});

let recordId = '';

test('creates a record with a child line, then edits it', async () => {
  await page.getByRole('menuitem', { name: '患者' }).click();
  await page.getByRole('button', { name: /^新\s*建$/ }).click();
  await page.locator('#field-full_name').fill('王小美');
  await page.locator('#field-age').fill('30');
  await page.locator('#field-balance').fill('1234.5');
  await page.locator('#field-birthday').fill('1996-03-08');
  await page.locator('#field-member').check();
  await choose(
    page.locator('#field-level').locator('xpath=ancestor::*[contains(@class,"ant-select")][1]'),
    'A',
  );
  await page.getByRole('button', { name: '添加行' }).click();
  await page.locator('#visits-0-item').fill('洁牙');
  await page.locator('#visits-0-amount').fill('300');
  await page.getByRole('button', { name: /^保\s*存$/ }).click();
  await page.waitForURL(/\/data\/patient\/[0-9a-f-]{36}$/);
  recordId = page.url().split('/').pop()!;
  await page.getByText('1,234.50').waitFor();
  await page.getByText('洁牙').waitFor();
  const saved = await server.call('GET', `/api/v1/patient/${recordId}?expand=visits`);
  assert.equal(saved.body.data.balance, '1234.50');
  assert.equal(saved.body.data.visits[0].amount, '300.00');
  await shot('03-record');

  await page.getByRole('button', { name: /^编\s*辑$/ }).click();
  await page.locator('#field-full_name').fill('王小美（已改）');
  await page.getByRole('button', { name: /^保\s*存$/ }).click();
  await page.getByText('王小美（已改）').waitFor();
  const edited = await server.call('GET', `/api/v1/patient/${recordId}`);
  assert.equal(edited.body.data.full_name, '王小美（已改）');
});

test('shows client-side field errors before sending', async () => {
  await page.goto(`${base}/data/patient/new`);
  await page.locator('#field-balance').fill('12abc');
  await page.getByRole('button', { name: /^保\s*存$/ }).click();
  await page.getByText('invalid format').waitFor();
  await page.getByText('必填').first().waitFor();
  assert.match(page.url(), /\/new$/);
});

test('shows the conflict dialog when the record changed meanwhile', async () => {
  await page.goto(`${base}/data/patient/${recordId}`);
  await page.getByRole('button', { name: /^编\s*辑$/ }).click();
  const current = await server.call('GET', `/api/v1/patient/${recordId}`);
  const other = await server.call(
    'PATCH',
    `/api/v1/patient/${recordId}`,
    { age: 31 },
    { 'if-match': `"${current.body.data.version}"` },
  );
  assert.equal(other.status, 200);
  await page.locator('#field-full_name').fill('冲突');
  await page.getByRole('button', { name: /^保\s*存$/ }).click();
  await page.getByText('记录已被他人修改').waitFor();
  await shot('04-conflict');
  await page.getByRole('button', { name: '重新加载' }).click();
  await page.getByText('王小美（已改）').waitFor();
});

test('filters the list and exports it as CSV', async () => {
  await server.call('POST', '/api/v1/patient', { full_name: '李四', balance: '10' });
  await page.goto(`${base}/data/patient`);
  await page.getByText('李四').waitFor();
  await page.getByRole('button', { name: '添加条件' }).click();
  await choose(
    page.getByLabel('operator').locator('xpath=ancestor::*[contains(@class,"ant-select")][1]'),
    '包含',
  );
  await page.getByLabel('value').fill('王');
  await page.getByRole('button', { name: /^应\s*用$/ }).click();
  await page.getByText('李四').waitFor({ state: 'detached' });
  await page.getByText('共 1 条').waitFor();
  await shot('05-filtered');
  await page.getByRole('button', { name: /^导\s*出$/ }).hover();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'CSV' }).click();
  const file = await (await download).path();
  const csv = readFileSync(file, 'utf8');
  assert.match(csv, /王小美/);
  assert.doesNotMatch(csv, /李四/);
});

test('switches to English', async () => {
  await page.getByText('EN', { exact: true }).click();
  await page.getByRole('menuitem', { name: 'Patient' }).waitFor();
  await page.getByRole('button', { name: /^Export$/ }).waitFor();
  await shot('06-english');
  await page.getByText('中文', { exact: true }).click();
  await page.getByRole('menuitem', { name: '患者' }).waitFor();
});

test('works on a phone-sized viewport', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/data/patient/${recordId}`);
  await page.getByText('1,234.50').waitFor();
  await page.getByRole('button', { name: '菜单' }).click();
  await clickThrough(page, page.getByRole('menuitem', { name: '患者' }), /\/data\/patient$/);
  await page.getByText('王小美（已改）').waitFor();
  await shot('07-phone');
});
