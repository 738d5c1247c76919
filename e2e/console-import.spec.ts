/**
 * Importing 1,000 rows from an Excel file (written with exceljs, Chinese column headers) through the
 * list's import dialog in a real browser: a dry run, then the import; and a file with bad rows, where
 * importing is refused until "skip bad rows" is chosen and the skipped rows can be downloaded.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import type { TestServer } from '../packages/server/src/testing.ts';
import { ARTIFACTS, zhEn as label, openBrowser, signIn, startConsoleServer } from './browser.ts';

let server: TestServer;
let base: string;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
const dir = mkdtempSync(join(tmpdir(), 'tenon-import-'));
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** An .xlsx of `rows` patients; the rows listed in `bad` get an age that is not a number. */
async function workbook(name: string, rows: number, first: number, bad: number[] = []): Promise<string> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('患者');
  sheet.addRow(['姓名', '年龄', '余额', '生日', '级别']);
  for (let i = 0; i < rows; i++) {
    const n = first + i;
    sheet.addRow([
      `患者${String(n).padStart(4, '0')}`,
      bad.includes(i) ? '三十' : 20 + (n % 60),
      `${n}.50`,
      `1990-01-${String((n % 28) + 1).padStart(2, '0')}`,
      n % 2 ? 'A' : 'B',
    ]);
  }
  const path = join(dir, name);
  await book.xlsx.writeFile(path);
  return path;
}

async function importFile(path: string) {
  await page.goto(`${base}/data/patient`);
  await page.getByRole('button', { name: /^导\s*入$/ }).click();
  const dialog = page.locator('.ant-modal');
  await dialog.locator('input[type=file]').setInputFiles(path);
  await dialog.getByRole('button', { name: '预览变更' }).click();
  return dialog;
}

before(async () => {
  ({ server, base } = await startConsoleServer([
    {
      name: 'patient',
      label: label('患者', 'Patient'),
      titleField: 'full_name',
      fields: [
        { name: 'full_name', label: label('姓名', 'Name'), kind: 'string', required: true },
        { name: 'age', label: label('年龄', 'Age'), kind: 'integer' },
        { name: 'balance', label: label('余额', 'Balance'), kind: 'money', currency: 'CNY' },
        { name: 'birthday', label: label('生日', 'Birthday'), kind: 'date' },
        {
          name: 'level',
          label: label('级别', 'Level'),
          kind: 'select',
          options: [
            { value: 'A', label: label('A', 'A') },
            { value: 'B', label: label('B', 'B') },
          ],
        },
      ],
    },
  ]));
  browser = await openBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(60_000);
  await signIn(page, base, `admin@${server.tenant.name}`, 'admin-password-1');
});

afterEach(async (t) => {
  await page
    ?.screenshot({ path: join(ARTIFACTS, `last-${t.name.replace(/\W+/g, '-')}.png`) })
    .catch(() => {});
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('imports 1,000 rows from an Excel file after a dry run', async () => {
  const dialog = await importFile(await workbook('patients.xlsx', 1000, 0));
  await dialog.getByText('1000 / 1000 ✓ / 0 ✗').waitFor();
  assert.equal((await server.call('GET', '/api/v1/patient?pageSize=1&total=true')).body.data.total, 0);
  await dialog.getByRole('button', { name: /^导\s*入$/ }).click();
  await dialog.getByText('1000 / 1000 ✓ / 0 ✗ / 1000 +').waitFor();
  await shot('import-01-done');
  await dialog.locator('.ant-modal-close').click();
  await page.getByText('共 1000 条').waitFor();
  const saved = await server.call('GET', '/api/v1/patient?filter[full_name][eq]=患者0999');
  assert.equal(saved.body.data.items[0].balance, '999.50');
  assert.equal(saved.body.data.items[0].birthday, '1990-01-20');
});

test('refuses bad rows until they are skipped, and offers them for download', async () => {
  const dialog = await importFile(await workbook('with-errors.xlsx', 1000, 1000, [3, 500]));
  await dialog.getByText('1000 / 998 ✓ / 2 ✗').waitFor();
  assert.equal(await dialog.getByRole('button', { name: /^导\s*入$/ }).isDisabled(), true);
  await dialog.locator('.ant-table-row', { hasText: 'age' }).first().waitFor();
  await shot('import-02-errors');
  await dialog.getByRole('button', { name: '跳过错误行并导入' }).click();
  await dialog.getByText('/ 998 +').waitFor();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: '下载跳过的行' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  assert.equal(csv.trim().split('\n').length, 3);
  assert.match(csv, /age/);
  assert.equal((await server.call('GET', '/api/v1/patient?pageSize=1&total=true')).body.data.total, 1998);
});
