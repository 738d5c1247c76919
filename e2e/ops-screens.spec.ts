/**
 * The other scanner screens on a phone (390 × 844), on the warehouse demo: an ASN received by scanning
 * the item's barcode with a short and a damaged quantity, its putaway confirmed by scanning the
 * suggested bin, a blind count by scanning bin and item and typing the quantity, then submitted; and
 * the stock screen's balance, movements and location tree, then in English. Screenshots in e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TestServer } from '../packages/server/src/testing.ts';
import { ARTIFACTS } from './browser.ts';
import { go as goTo, type OpsSetup, scan as scanIn, signInOnPhone, startOpsServer } from './ops-server.ts';

let ops: OpsSetup;
let server: TestServer;
let page: Page;
let asn: { id: string; number: string };
const BOLT = '6901000000011';

before(async () => {
  ops = await startOpsServer();
  ({ server, page } = ops);
  const bolt = (await server.call('GET', `/api/v1/item?filter[barcode][eq]=${BOLT}`)).body.data.items[0];
  const created = await server.call('POST', '/api/v1/asn', {
    supplier: ops.demo.suppliers[0],
    warehouse: ops.demo.warehouse,
    expected_date: '2026-11-27',
    lines: [{ item: bolt.id, quantity: '50' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  asn = { id: created.body.data.id, number: created.body.data.number };
  const submitted = await server.call('POST', `/api/v1/asn/${asn.id}/submit`, {});
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  await signInOnPhone(ops);
});

after(() => ops?.close());

const scan = (code: string) => scanIn(page, code);

const go = (path: string) => goTo(page, path);

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `ops-${name}.png`) });

test('receive by scan, short and damaged quantities marked', async () => {
  await go('/ops/receive');
  await page.getByText(asn.number).click();
  await scan(BOLT);
  await page.getByLabel('数量', { exact: true }).fill('45');
  await page.getByLabel('破损数量').fill('2');
  await page.getByRole('button', { name: /^收\s*货$/ }).click();
  await page.getByText('已收货：45').waitFor();
  await page.getByText('短收 3').waitFor();
  await shot('receive');
  const line = (await server.call('GET', `/api/v1/asn/${asn.id}`)).body.data.lines[0];
  assert.equal(Number(line.received_qty), 45);
  assert.equal(Number(line.damaged_qty), 2);
});

test('put away by scanning the suggested bin', async () => {
  await go('/ops/putaway');
  await page.getByTestId('suggested-bin').filter({ hasNotText: '—' }).waitFor();
  const bin = ((await page.getByTestId('suggested-bin').textContent()) ?? '').split(' ')[0]!.trim();
  assert.ok(bin && bin !== '—', 'a bin is suggested');
  await scan('NOT-A-BIN');
  await page.getByText(/NOT-A-BIN/).waitFor();
  await scan(bin);
  await page.getByText(`已上架到 ${bin}`).waitFor();
  await shot('putaway');
  const open = await server.call('GET', '/api/v1/putaway_task?filter[status][eq]=open');
  assert.equal(open.body.data.items.length, 0);
});

test('a blind count: scan bin and item, type the quantity, submit', async () => {
  await go('/ops/count');
  await page.getByLabel('仓库').click();
  await page.getByText('WH-DC 华东配送中心 / East DC').click();
  await page.getByRole('button', { name: '新建盘点单' }).click();
  await page.getByText('盲盘：不显示账面数量').waitFor();
  await scan('R1-01');
  await page.getByTestId('count-bin').getByText(/R1-01/).waitFor();
  await scan(BOLT);
  await page.getByLabel('实盘数量').fill('7');
  await page.getByLabel('实盘数量').press('Enter');
  await page.getByText('已盘 1 条').waitFor();
  await shot('count');
  // The only mention of the book quantity is the notice that it is hidden.
  assert.equal(await page.getByText(/账面/).count(), 1, 'no book quantity on a blind count');
  await page.getByRole('button', { name: '提交盘点' }).click();
  await page.getByText('盘点单已提交').waitFor();
  const sessions = await server.call('GET', '/api/v1/count_session?filter[status][eq]=submitted');
  const session = (await server.call('GET', `/api/v1/count_session/${sessions.body.data.items[0].id}`)).body
    .data;
  assert.equal(session.lines.length, 1);
  assert.equal(Number(session.lines[0].counted_qty), 7);
});

test('stock balance with totals, movements of an item, and the location tree', async () => {
  await go('/ops/stock');
  // Totals once the rows are in (the server's balance is not empty here).
  await page.getByTestId('stock-total-qty').filter({ hasNotText: /^0$/ }).waitFor();
  const total = (await page.getByTestId('stock-total-qty').textContent()) ?? '';
  const api = await server.call('GET', '/api/v1/inventory/balance');
  const sum = (api.body.data.items as { quantity: string }[]).reduce((s, r) => s + Number(r.quantity), 0);
  assert.equal(Number(total.replaceAll(',', '')), sum);
  await shot('stock');
  await page.getByRole('tab', { name: '出入库流水' }).click();
  await page.getByLabel('物料').click();
  await page.getByTitle(/六角螺栓/).click();
  await page.getByText('receipt').first().waitFor();
  await page.getByRole('tab', { name: '库位树' }).click();
  await page.getByText('R1-01 · bin').waitFor();
  await shot('stock-tree');
  // The pages' texts come in both languages (added when the pages load).
  await page.getByText('EN', { exact: true }).click();
  await page.getByRole('tab', { name: 'Location tree' }).waitFor();
  await page.getByRole('heading', { name: 'Stock' }).waitFor();
});
