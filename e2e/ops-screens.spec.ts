/**
 * The other scanner screens on a phone (390 × 844), on the warehouse demo: an ASN received by scanning
 * the item's barcode with a short and a damaged quantity, its putaway confirmed by scanning the
 * suggested bin, a blind count by scanning bin and item and typing the quantity (a bin of another
 * warehouse refused, a bin code both warehouses use taken from the session's), then submitted; the
 * stock screen's balance, movements and location tree, then in English; then one scanned serial per
 * unit at receiving, a transfer received at the other warehouse and seen in transit, a transfer shipped
 * by scanning its bin and item, cross-docking offered at receiving, and a kanban card scanned.
 * Screenshots in e2e/artifacts/.
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
let transfer: { id: string; number: string };
let serialAsnNumber = '';
let north = '';
const BOLT = '6901000000011';
const HANDHELD = '6901000000998';

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
  // A second warehouse of the same company: one bin code it shares with the demo, one of its own.
  const dc = (await server.call('GET', `/api/v1/warehouse/${ops.demo.warehouse}`)).body.data;
  const other = await server.call('POST', '/api/v1/warehouse', {
    code: 'WH-N',
    name: '华北仓',
    company: dc.company,
  });
  assert.equal(other.status, 201, JSON.stringify(other.body));
  for (const [code, bin_type] of [
    ['R1-01', 'storage'],
    ['N-ONLY', 'storage'],
    ['N-DOCK', 'receiving'],
  ])
    assert.equal(
      (
        await server.call('POST', '/api/v1/location', {
          code,
          warehouse: other.body.data.id,
          level: 'bin',
          bin_type,
        })
      ).status,
      201,
    );
  // A transfer of 5 bolts from the demo warehouse to WH-N, shipped (in transit).
  const schema = server.tenant.schemaName;
  const from = (
    await server.db.query<{ location_id: string }>(
      `SELECT location_id FROM "${schema}".inv_balance WHERE item_id = $1 AND on_hand >= 5 ORDER BY location_id LIMIT 1`,
      [bolt.id],
    )
  ).rows[0]!.location_id;
  const order = await server.call('POST', '/api/v1/transfer_order', {
    from_warehouse: ops.demo.warehouse,
    to_warehouse: other.body.data.id,
    lines: [{ item: bolt.id, from_location: from, quantity: '5' }],
  });
  assert.equal(order.status, 201, JSON.stringify(order.body));
  transfer = { id: order.body.data.id, number: order.body.data.number };
  north = other.body.data.id;
  const shipped = await server.call('POST', `/api/v1/transfer_order/${transfer.id}/ship`, {});
  assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
  // A serial-tracked item on its own ASN.
  const pcs = (await server.call('GET', `/api/v1/item/${bolt.id}`)).body.data.base_uom;
  const handheld = await server.call('POST', '/api/v1/item', {
    name: '手持终端 / Handheld',
    base_uom: pcs,
    tracking: 'serial',
    barcode: HANDHELD,
  });
  assert.equal(handheld.status, 201, JSON.stringify(handheld.body));
  const serialAsn = await server.call('POST', '/api/v1/asn', {
    supplier: ops.demo.suppliers[0],
    warehouse: ops.demo.warehouse,
    expected_date: '2026-11-27',
    lines: [{ item: handheld.body.data.id, quantity: '2' }],
  });
  serialAsnNumber = serialAsn.body.data.number;
  assert.equal((await server.call('POST', `/api/v1/asn/${serialAsn.body.data.id}/submit`, {})).status, 200);
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
  // A bin of another warehouse is refused with a message, not counted.
  await scan('N-ONLY');
  await page.getByText('库位 N-ONLY 不属于本盘点单的仓库').waitFor();
  assert.equal((await page.getByTestId('count-bin').textContent())?.trim(), '—');
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
  const bin = (await server.call('GET', `/api/v1/location/${session.lines[0].location}`)).body.data;
  assert.equal(bin.warehouse, ops.demo.warehouse, 'R1-01 of the session warehouse, not of WH-N');
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
  await page.getByText('R1-01 · bin').first().waitFor(); // WH-N has an R1-01 too
  await shot('stock-tree');
  // The pages' texts come in both languages (added when the pages load).
  await page.getByText('EN', { exact: true }).click();
  await page.getByRole('tab', { name: 'Location tree' }).waitFor();
  await page.getByRole('heading', { name: 'Stock' }).waitFor();
});

test('a serial-tracked item: one scanned serial per unit, a repeated serial refused', async () => {
  await page.getByText('中文', { exact: true }).click(); // the stock test ended in English
  await go('/ops/receive');
  await page.getByText(serialAsnNumber).click();
  await scan(HANDHELD);
  await page.getByTestId('serial-count').getByText('已扫序列号 0 个').waitFor();
  await scan('HH-0001');
  await scan('HH-0001');
  await page.getByText('序列号重复：HH-0001').waitFor();
  await scan('HH-0002');
  await page.getByTestId('serial-count').getByText('已扫序列号 2 个').waitFor();
  await shot('receive-serials');
  await page.getByRole('button', { name: /^收\s*货$/ }).click();
  await page.getByText('已收货：2').waitFor();
  const serials = await server.call('GET', '/api/v1/serial_number?sort=serial_no');
  assert.deepEqual(
    serials.body.data.items.map((x: { serial_no: string }) => x.serial_no),
    ['HH-0001', 'HH-0002'],
  );
});

test('a transfer in transit received by scan at the other warehouse', async () => {
  await go('/ops/receive');
  await page.getByText('调拨在途').waitFor();
  await page.getByText(transfer.number).click();
  await scan(BOLT);
  await page.getByLabel('数量', { exact: true }).fill('3');
  await page.getByRole('button', { name: /^收\s*货$/ }).click();
  await page.getByText('已收货：3').waitFor();
  await page.getByText('短收 2').waitFor();
  await shot('receive-transfer');
  const line = (await server.call('GET', `/api/v1/transfer_order/${transfer.id}`)).body.data.lines[0];
  assert.deepEqual([Number(line.received_qty), Number(line.in_transit_qty)], [3, 2]);
  // The two still on the road, on the stock screen.
  await go('/ops/stock');
  await page.getByRole('tab', { name: '在途' }).click();
  await page.getByRole('cell', { name: transfer.number }).waitFor();
  assert.equal(await page.getByTestId('in-transit-qty').textContent(), '2');
  await shot('stock-in-transit');
});

test('a transfer shipped by scanning its bin and item', async () => {
  const bolt = (await server.call('GET', `/api/v1/item?filter[barcode][eq]=${BOLT}`)).body.data.items[0];
  const schema = server.tenant.schemaName;
  const from = (
    await server.db.query<{ id: string; code: string }>(
      `SELECT l.id, l.code FROM "${schema}".inv_balance b JOIN "${schema}".location l ON l.id = b.location_id
       WHERE b.item_id = $1 AND b.on_hand >= 2 AND l.warehouse = $2 ORDER BY l.code LIMIT 1`,
      [bolt.id, ops.demo.warehouse],
    )
  ).rows[0]!;
  const draft = await server.call('POST', '/api/v1/transfer_order', {
    from_warehouse: ops.demo.warehouse,
    to_warehouse: north,
    lines: [{ item: bolt.id, from_location: from.id, quantity: '2' }],
  });
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  await go('/ops/transfer');
  await page.getByText(draft.body.data.number).click();
  await page.getByTestId('transfer-bin').getByText(from.code).waitFor();
  await scan('N-ONLY');
  await page.getByText('条码不符：N-ONLY').waitFor();
  await scan(from.code);
  await scan(BOLT);
  await page.getByRole('button', { name: '发运（转入在途）' }).click();
  await page.getByText('已发运，货物在途').waitFor();
  await shot('transfer-ship');
  const shipped = (await server.call('GET', `/api/v1/transfer_order/${draft.body.data.id}`)).body.data;
  assert.equal(shipped.status, 'shipped');
  assert.equal(Number(shipped.lines[0].in_transit_qty), 2);
});

test('cross-docking offered when an order waits for the scanned item', async () => {
  const bolt = (await server.call('GET', `/api/v1/item?filter[barcode][eq]=${BOLT}`)).body.data.items[0];
  await server.call('POST', '/api/v1/location', {
    code: 'OUT-1',
    warehouse: ops.demo.warehouse,
    level: 'bin',
    bin_type: 'shipping',
  });
  const order = await server.call('POST', '/api/v1/delivery_order', {
    customer: '等货客户',
    warehouse: ops.demo.warehouse,
    lines: [{ item: bolt.id, quantity: '100000' }],
  });
  const reserved = await server.call('POST', `/api/v1/delivery_order/${order.body.data.id}/reserve`, {});
  assert.equal(reserved.status, 200, JSON.stringify(reserved.body));
  const inbound = await server.call('POST', '/api/v1/asn', {
    supplier: ops.demo.suppliers[0],
    warehouse: ops.demo.warehouse,
    expected_date: '2026-11-28',
    lines: [{ item: bolt.id, quantity: '4' }],
  });
  await server.call('POST', `/api/v1/asn/${inbound.body.data.id}/submit`, {});
  await go('/ops/receive');
  await page.getByText(inbound.body.data.number).click();
  await scan(BOLT);
  await page.getByTestId('cross-dock').getByText(order.body.data.number, { exact: false }).waitFor();
  await page.getByLabel('数量', { exact: true }).fill('4');
  await shot('receive-cross-dock');
  await page.getByRole('button', { name: /^收\s*货$/ }).click();
  await page.getByText('已收货：4').waitFor();
  const docked = await server.call('GET', '/api/v1/cross_dock');
  assert.deepEqual(
    docked.body.data.items.map((x: { delivery_order: string; quantity: string }) => [
      x.delivery_order,
      Number(x.quantity),
    ]),
    [[order.body.data.id, 4]],
  );
});

test('a kanban card scanned raises one refill signal', async () => {
  const bolt = (await server.call('GET', `/api/v1/item?filter[barcode][eq]=${BOLT}`)).body.data.items[0];
  const card = await server.call('POST', '/api/v1/kanban_card', {
    code: 'KB-E2E-1',
    supplier: ops.demo.suppliers[0],
    item: bolt.id,
    warehouse: ops.demo.warehouse,
    quantity: '24',
  });
  assert.equal(card.status, 201, JSON.stringify(card.body));
  await go('/ops/kanban');
  // The page's chunk may still be loading: a scan before it shows would go to the previous screen.
  await page.getByRole('heading', { name: '看板补货' }).waitFor();
  await scan('KB-E2E-1');
  await page.getByText(/已发出看板信号 KS-.*× 24/).waitFor();
  await scan('KB-E2E-1');
  await page.getByText(/WMS_BAD_STATE/).waitFor();
  await shot('kanban');
  const signals = await server.call('GET', `/api/v1/kanban_signal?filter[card]=${card.body.data.id}`);
  assert.equal(signals.body.data.items.length, 1, 'one signal per card until its refill arrives');
  await page.getByText(`${signals.body.data.items[0].number} ·`, { exact: false }).waitFor();
});
