/**
 * The console's per-user settings kept on the server, in a real browser: a saved list view that is the
 * user's default (applied again after a reload), a dashboard with a KPI card and a chart (still there
 * after a reload), the header's company as the default of a new record's company link, a field set
 * on three selected rows at once, and a declared action's button on the record page.
 * Screenshots go to e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { updateRecordIn } from '@tenon/design';
import type { Locator, Page } from 'playwright-core';
import type { JsonBody, TestServer } from '../packages/server/src/testing.ts';
import {
  ARTIFACTS,
  chooseOption,
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
const companies: Record<string, string> = {};

const DEFINITIONS = [
  {
    name: 'company',
    label: label('公司', 'Company'),
    titleField: 'name',
    fields: [{ name: 'name', label: label('名称', 'Name'), kind: 'string' }],
  },
  {
    name: 'deal',
    label: label('商机', 'Deal'),
    titleField: 'title',
    actions: [{ name: 'win', label: label('赢单', 'Mark won') }],
    fields: [
      { name: 'title', label: label('标题', 'Title'), kind: 'string' },
      { name: 'amount', label: label('金额', 'Amount'), kind: 'decimal', precision: 14, scale: 2 },
      {
        name: 'stage',
        label: label('阶段', 'Stage'),
        kind: 'select',
        options: [
          { value: 'new', label: label('新建', 'New') },
          { value: 'won', label: label('已赢单', 'Won') },
          { value: 'lost', label: label('已丢单', 'Lost') },
        ],
      },
      { name: 'company', label: label('所属公司', 'Company'), kind: 'link', target: 'company' },
    ],
  },
];

/** Picks an option of the antd Select `select` by its visible label. */
const choose = (select: Locator, option: string) => chooseOption(page, select, option);

const deals = async () =>
  ((await server.call('GET', '/api/v1/deal?pageSize=100&sort=title')).body.data.items as JsonBody[]).map(
    (d) => `${d.title}:${d.stage}`,
  );

before(async () => {
  ({ server, base } = await startConsoleServer(DEFINITIONS));
  server.deps.actions.register('deal', 'win', async ({ tx, ctx, entity, record }) =>
    updateRecordIn(tx, ctx, entity, {
      id: record.id as string,
      patch: { stage: 'won' },
      expectedVersion: null,
    }),
  );
  for (const name of ['Alpha 公司', 'Beta 公司'])
    companies[name] = (await server.call('POST', '/api/v1/company', { name })).body.data.id;
  for (const [title, amount] of [
    ['大单 A', '1200.00'],
    ['大单 B', '800.50'],
    ['大单 C', '300.00'],
    ['小单 D', '20.00'],
    ['小单 E', '5.25'],
  ] as const) {
    const res = await server.call('POST', '/api/v1/deal', { title, amount, stage: 'new' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  browser = await openBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
  await signIn(page, base, `admin@${server.tenant.name}`, 'admin-password-1');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const rowsShown = () => page.locator('.ant-table-row').count();

test('a saved default view is applied again when the list opens', async () => {
  await page.goto(`${base}/data/deal`);
  await page.locator('.ant-table-row', { hasText: '小单 E' }).waitFor();
  await page.getByRole('button', { name: '添加条件' }).click();
  await choose(page.getByLabel('operator'), '包含');
  await page.getByLabel('value').fill('大单');
  await page.getByRole('button', { name: /^应\s*用$/ }).click();
  await page.locator('.ant-table-row', { hasText: '小单 E' }).waitFor({ state: 'detached' });
  await page.locator('.ant-table-row', { hasText: '大单 A' }).waitFor();
  assert.equal(await rowsShown(), 3);
  // Sort by amount, descending (two clicks), and hide the stage column.
  const amountHeader = page.locator('.ant-table-thead th', { hasText: '金额' });
  await amountHeader.click();
  await amountHeader.click();
  await page.getByRole('button', { name: /^列$/ }).click();
  await page.locator('.ant-popover:visible').getByRole('checkbox', { name: '阶段' }).uncheck();
  await page.getByRole('button', { name: '保存视图' }).click();
  const dialog = page.locator('.ant-modal:visible');
  await dialog.getByLabel('视图名称').fill('大单视图');
  await dialog.getByText('打开列表时默认使用').click();
  await dialog.getByRole('button', { name: /^确\s*定$|^OK$/ }).click();
  await page.getByText('视图已保存').waitFor();

  await page.reload();
  await page.locator('.tenon-views').getByText('大单视图 ★ 默认').waitFor();
  await page.locator('.ant-table-row', { hasText: '大单 A' }).waitFor();
  assert.equal(await rowsShown(), 3);
  const firstRow = await page.locator('.ant-table-row').first().textContent();
  assert.match(firstRow ?? '', /大单 A/, 'sorted by amount, largest first');
  assert.equal(await page.locator('.ant-table-thead th', { hasText: '阶段' }).count(), 0);
  assert.equal(await page.locator('.ant-table-thead th', { hasText: '金额' }).count(), 1);
  await shot('views-01-default-view');
  const stored = await server.call('GET', '/api/v1/me/views?entity=deal');
  assert.deepEqual(
    stored.body.data.items.map((v: JsonBody) => [v.name, v.isDefault, v.state.sort]),
    [['大单视图', true, ['-amount']]],
  );
});

test('a KPI card and a chart are kept on the server across reloads', async () => {
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: '添加组件' }).click();
  let dialog = page.locator('.ant-modal:visible');
  await choose(dialog.getByLabel('实体'), '商机');
  await choose(dialog.getByLabel('度量'), '合计：金额');
  await dialog.getByLabel('标题（可选）').fill('商机总额');
  await dialog.getByRole('button', { name: /^确\s*定$/ }).click();
  await page.locator('.tenon-widget', { hasText: '商机总额' }).getByText('2,325.75').waitFor();

  await page.getByRole('button', { name: '添加组件' }).click();
  dialog = page.locator('.ant-modal:visible');
  await dialog.getByText('图表', { exact: true }).click();
  await choose(dialog.getByLabel('实体'), '商机');
  await choose(dialog.getByLabel('分组字段'), '阶段');
  await dialog.getByText('饼图', { exact: true }).click();
  await dialog.getByLabel('标题（可选）').fill('各阶段商机');
  await dialog.getByRole('button', { name: /^确\s*定$/ }).click();
  await page.locator('.tenon-widget', { hasText: '各阶段商机' }).locator('.tenon-chart canvas').waitFor();

  await page.reload();
  await page.locator('.tenon-widget', { hasText: '商机总额' }).getByText('2,325.75').waitFor();
  await page.locator('.tenon-widget', { hasText: '各阶段商机' }).locator('.tenon-chart canvas').waitFor();
  await shot('views-02-dashboard');
  const prefs = await server.call('GET', '/api/v1/me/preferences');
  const widgets = prefs.body.data.dashboard.widgets as JsonBody[];
  assert.deepEqual(
    widgets.filter((w) => w.title).map((w) => [w.type, w.measure, w.groupBy ?? null, w.chart ?? null]),
    [
      ['kpi', 'sum:amount', null, null],
      ['chart', 'count', 'stage', 'pie'],
    ],
  );
});

test('the company chosen in the header is the default of a new record', async () => {
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/preferences/company') && r.ok());
  await choose(page.getByLabel('公司', { exact: true }), 'Beta 公司');
  await saved;
  await page.goto(`${base}/data/deal/new`);
  const companyField = page.locator('.ant-form-item', { hasText: '所属公司' });
  await companyField.getByText('Beta 公司').waitFor();
  await page.locator('.ant-form-item', { hasText: '标题' }).locator('input').first().fill('新商机 F');
  await shot('views-03-company-default');
  await page.getByRole('button', { name: /^保\s*存$/ }).click();
  await page.waitForURL(/\/data\/deal\/[0-9a-f-]{36}$/);
  const created = await server.call('GET', '/api/v1/deal?filter[title]=新商机 F');
  assert.equal(created.body.data.items[0].company, companies['Beta 公司']);
  const prefs = await server.call('GET', '/api/v1/me/preferences');
  assert.deepEqual(prefs.body.data.company, { companyId: companies['Beta 公司'] });
});

test('a field set on three selected rows at once', async () => {
  await page.goto(`${base}/data/deal`);
  await page.locator('.tenon-views').getByText('大单视图 ★ 默认').waitFor();
  await choose(page.getByLabel('视图').first(), '（未保存的视图）');
  // A link column shows the linked record's title, not its id.
  await page.locator('.ant-table-row', { hasText: '新商机 F' }).getByText('Beta 公司').waitFor();
  for (const title of ['大单 B', '小单 D', '小单 E'])
    await page.locator('.ant-table-row', { hasText: title }).getByRole('checkbox').check();
  await page.getByText('已选 3 条').waitFor();
  await page.getByRole('button', { name: '设置字段' }).click();
  const dialog = page.locator('.ant-modal:visible');
  await choose(dialog.getByLabel('字段'), '阶段');
  await choose(dialog.locator('#bulk-value'), '已丢单');
  await dialog.getByRole('button', { name: /^执\s*行$/ }).click();
  await page.locator('.ant-modal:visible').getByText('已完成 3 条').waitFor();
  await shot('views-04-bulk-set');
  assert.deepEqual(await deals(), [
    '大单 A:new',
    '大单 B:lost',
    '大单 C:new',
    '小单 D:lost',
    '小单 E:lost',
    '新商机 F:null',
  ]);
});

test('a declared action’s button on the record page runs it', async () => {
  const id = (await server.call('GET', '/api/v1/deal?filter[title]=大单 A')).body.data.items[0].id;
  await page.goto(`${base}/data/deal/${id}`);
  await page.getByRole('button', { name: /^赢\s*单$/ }).click();
  await page.getByText('已执行：赢单').waitFor();
  assert.equal((await server.call('GET', `/api/v1/deal/${id}`)).body.data.stage, 'won');
});
