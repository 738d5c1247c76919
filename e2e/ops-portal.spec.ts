/**
 * The VMI supplier portal on a phone (390 × 844), on the warehouse demo: a `supplier_portal` user of
 * the first supplier sees our stock, consumption and forecast of its own VMI items only, and turns
 * the suggested quantities into a replenishment ASN that arrives as that supplier's, from VMI; then a
 * clerk plans the next Milk-Run from its route's record page and prints the run's route sheet.
 * Screenshots in e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SUPPLIER_PORTAL_ROLE } from '../modules/wms/src/index.ts';
import { ARTIFACTS, clickThrough } from './browser.ts';
import { type OpsSetup, signInOnPhone, startOpsServer } from './ops-server.ts';

let ops: OpsSetup;

before(async () => {
  ops = await startOpsServer();
  const { server, demo } = ops;
  const { name: _name, ...role } = SUPPLIER_PORTAL_ROLE;
  const put = await server.call('PUT', '/api/v1/security/roles/supplier_portal', role);
  assert.ok(put.status === 200 || put.status === 201, JSON.stringify(put.body));
  await server.userWith({
    username: 'sup_one',
    roles: ['supplier_portal'],
    attributes: { supplier: demo.suppliers[0] },
  });
  // The first supplier's agreement asks for more than we hold, so a replenishment is suggested.
  const agreements = (await server.call('GET', '/api/v1/vmi_agreement?sort=code')).body.data.items;
  const first = agreements.find((a: { supplier: string }) => a.supplier === demo.suppliers[0]);
  const raised = await server.call(
    'PATCH',
    `/api/v1/vmi_agreement/${first.id}`,
    { min_qty: '100000', max_qty: '100100' },
    { 'if-match': `"${first.version}"` },
  );
  assert.equal(raised.status, 200, JSON.stringify(raised.body));
});

after(() => ops?.close());

test('a supplier sees only its own VMI items and proposes a replenishment', async () => {
  const { page, base, server, demo } = ops;
  await page.goto(base);
  await page.getByLabel('用户名').fill(`sup_one@${server.tenant.name}`);
  await page.getByLabel('密码').fill('sup_one-password-1');
  await page.getByRole('button', { name: /^登\s*录$/ }).click();
  await page.getByRole('button', { name: '菜单' }).click();
  await page.getByRole('menuitem', { name: '作业' }).click();
  await clickThrough(page, page.getByRole('menuitem', { name: '供应商门户' }), /\/ops\/portal$/);
  const cards = page.locator('.tenon-vmi-position');
  await cards.first().waitFor();
  assert.equal(await cards.count(), 1);
  await page.getByText('我方库存').first().waitFor();
  await page.getByText(/建议补货/).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'ops-portal-1.png') });

  await page.getByRole('button', { name: /按建议提交补货到货通知/ }).click();
  await page.getByText(/已提交补货到货通知/).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'ops-portal-2.png') });
  const asns = (await server.call('GET', '/api/v1/asn?filter[source][eq]=vmi')).body.data.items;
  assert.equal(asns.length, 1);
  assert.equal(asns[0].supplier, demo.suppliers[0]);
});

test('a Milk-Run planned from its route record prints its route sheet', async () => {
  const { page, base, demo, server } = ops;
  await page.goto(base); // whatever the first test left open (a menu drawer), start from the app
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('用户名').waitFor();
  await signInOnPhone(ops);
  await page.goto(`${base}/data/milk_run_route/${demo.route}`);
  await page.getByRole('button', { name: '计划下一趟' }).click();
  await page
    .locator('.ant-message')
    .getByText(/计划下一趟/)
    .waitFor();
  const runs = (await server.call('GET', '/api/v1/milk_run?sort=-number')).body.data.items;
  assert.ok(runs.length >= 1);
  await page.goto(`${base}/data/milk_run/${runs[0].id}`);
  const popup = page.context().waitForEvent('page');
  await page.getByRole('button', { name: /路线单/ }).click();
  const sheet = await popup;
  assert.match(sheet.url(), /^blob:/);
  await page.screenshot({ path: join(ARTIFACTS, 'ops-portal-3-route-sheet.png') });
  await sheet.close();
});
