/**
 * Scan to pick on a phone (390 × 844): the warehouse demo's three orders waved and released, the
 * pick list opened from the "作业" menu, then every stop confirmed by typing the bin and the item's
 * barcode into the scan field with Enter, as a scanner does. A wrong code is refused on screen and
 * changes nothing; the last stop is a short pick. The pick list ends done; then one of its orders is
 * packed by scanning its items into a carton and shipped. Screenshots in e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TestServer } from '../packages/server/src/testing.ts';
import { ARTIFACTS, clickThrough } from './browser.ts';
import { go, type OpsSetup, scan as scanIn, signInOnPhone, startOpsServer } from './ops-server.ts';

let ops: OpsSetup;
let server: TestServer;
let page: Page;
let listId = '';
let listNumber = '';
const barcodes = new Map<string, string>();

before(async () => {
  ops = await startOpsServer();
  ({ server, page } = ops);
  const waved = await server.call('POST', '/api/v1/wms/waves', {
    warehouse: ops.demo.warehouse,
    rule: { groupBy: ['carrier'] },
  });
  assert.equal(waved.status, 201, JSON.stringify(waved.body));
  const released = await server.call('POST', `/api/v1/wave/${waved.body.data.waves[0].id}/release`, {});
  assert.equal(released.status, 200, JSON.stringify(released.body));
  const lists = await server.call('GET', '/api/v1/pick_list?sort=number');
  listId = lists.body.data.items[0].id;
  listNumber = lists.body.data.items[0].number;
  const items = await server.call('GET', '/api/v1/item?pageSize=50');
  for (const i of items.body.data.items) barcodes.set(i.code, i.barcode);
});

after(() => ops?.close());

const scan = (code: string) => scanIn(page, code);

test('a picker walks the pick list by scanning bin and item, one stop at a time', async () => {
  await walk().catch(async (err) => {
    await page.screenshot({ path: join(ARTIFACTS, 'ops-pick-failed.png') });
    throw err;
  });
});

async function walk() {
  await signInOnPhone(ops);
  await page.getByRole('button', { name: '菜单' }).click();
  await page.getByRole('menuitem', { name: '作业' }).click();
  await clickThrough(page, page.getByRole('menuitem', { name: '扫码拣货' }), /\/ops\/pick$/);
  await page.locator('.ant-drawer-open').waitFor({ state: 'detached' });
  await page.getByText(listNumber).click();
  await page.getByTestId('next-bin').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'ops-pick-first.png') });

  // A wrong bin is refused on screen and nothing is confirmed.
  await scan('NO-SUCH-BIN');
  await page.getByText('条码不符：NO-SUCH-BIN').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'ops-pick-wrong.png') });

  const stops = (await server.call('GET', `/api/v1/pick_list/${listId}`)).body.data.lines.length as number;
  let confirmed = 0;
  for (let guard = 0; guard < stops + 1; guard++) {
    const bin = ((await page.getByTestId('next-bin').textContent()) ?? '').replace('✓', '').trim();
    const item = ((await page.getByTestId('next-item').textContent()) ?? '').split('·')[0]!.trim();
    const next = await server.call('GET', `/api/v1/wms/pick_list/${listId}/next`);
    assert.equal(next.body.data.bin, bin, 'the screen shows the next stop in route order');
    await scan(bin);
    await page.getByText(`✓ ${bin}`).waitFor();
    // The wrong item at the right bin is refused too.
    if (confirmed === 0) {
      await scan('6900000000000');
      await page.getByText(/6900000000000/).waitFor();
    }
    const last = next.body.data.remaining === 1;
    if (last) {
      // The last stop: one fewer than asked (a short pick).
      await page.getByRole('button', { name: /^短\s*拣$/ }).click();
      await page.getByLabel('实拣数量').fill(String(Number(next.body.data.quantity) - 1));
      await page.getByLabel('扫码').focus();
    }
    await scan(barcodes.get(item) ?? item);
    await page.getByText(/已确认/).waitFor();
    confirmed++;
    if (last) break;
    await page.getByTestId('next-bin').filter({ hasNotText: '✓' }).waitFor();
  }
  await page.getByTestId('pick-finished').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'ops-pick-done.png') });
  const list = (await server.call('GET', `/api/v1/pick_list/${listId}`)).body.data;
  assert.equal(list.status, 'done');
  const outcomes = (list.lines as { outcome: string }[]).map((l) => l.outcome);
  assert.ok(!outcomes.includes('open'));
  assert.ok(outcomes.includes('short'), 'the last stop was picked short');
  assert.ok(confirmed >= 2);
}

test('a picked order is packed into a carton by scanning and shipped', async () => {
  const picked = await server.call('GET', '/api/v1/delivery_order?filter[status][eq]=picked&sort=number');
  const order = (await server.call('GET', `/api/v1/delivery_order/${picked.body.data.items[0].id}`)).body
    .data;
  const codes = new Map([...barcodes].map(([code, barcode]) => [barcode, code]));
  const items = await server.call('GET', '/api/v1/item?pageSize=50');
  const barcodeOf = new Map(
    (items.body.data.items as { id: string; barcode: string }[]).map((i) => [i.id, i.barcode]),
  );
  await go(page, '/ops/pack');
  await page.getByText(order.number).click();
  await scan('6900000000000');
  await page.getByText(/此物料不在发货单中/).waitFor();
  for (const line of order.lines as { item: string; picked_qty: string }[]) {
    if (Number(line.picked_qty) === 0) continue;
    const barcode = barcodeOf.get(line.item)!;
    assert.ok(codes.has(barcode));
    await scan(barcode);
    await page
      .getByText(/待装 0/)
      .first()
      .waitFor();
  }
  await page.getByLabel('重量（kg）').fill('3.5');
  await page.getByRole('button', { name: '完成装箱' }).click();
  await page.getByLabel('运单号').fill('SF1234567890');
  await page.screenshot({ path: join(ARTIFACTS, 'ops-pack.png') });
  await page.getByRole('button', { name: /^发\s*运$/ }).click();
  await page.getByTestId('pack-shipped').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'ops-shipped.png') });
  const after = (await server.call('GET', `/api/v1/delivery_order/${order.id}`)).body.data;
  assert.equal(after.status, 'shipped');
  const cartons = await server.call('GET', `/api/v1/carton?filter[delivery_order][eq]=${order.id}`);
  assert.equal(cartons.body.data.items.length, 1);
  assert.equal(Number(cartons.body.data.items[0].weight_kg), 3.5);
});
