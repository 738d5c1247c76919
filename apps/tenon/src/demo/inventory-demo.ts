/**
 * Inventory demo data: a company, a warehouse with bins, items (plain, lot, serial), stock received
 * (once in boxes), transferred and issued, and a back-dated receipt that re-costs the issue.
 */
import type { Tenant } from '@tenon/db';
import { createRecordIn, type RecordContext } from '@tenon/design';
import { postStockMoveIn } from '@tenon/inventory';
import type { System } from '../boot.ts';

export async function loadInventoryDemo(system: System, tenant: Tenant, ctx: RecordContext): Promise<void> {
  const metamodel = ctx.metamodel;
  if (!metamodel.find('item')) return;
  await system.db.transaction(async (tx) => {
    const make = async (entity: string, data: Record<string, unknown>) =>
      (await createRecordIn(tx, ctx, metamodel.get(entity), data)).id as string;
    const company = await make('company', { code: 'SH01', name: '上海榫卯制造有限公司' });
    const pcs = await make('uom', { code: 'PCS', name: '件 / piece' });
    const box = await make('uom', { code: 'BOX', name: '箱 / box' });
    await make('uom_conversion', { from_uom: box, to_uom: pcs, factor: '12' });
    const warehouse = await make('warehouse', { code: 'WH-SH', name: '上海总仓 / Shanghai main', company });
    const zone = await make('location', { code: 'A', name: 'A 区 / Zone A', warehouse, level: 'zone' });
    const bins: string[] = [];
    for (const [i, code] of ['A-01-01', 'A-01-02', 'A-02-01'].entries()) {
      bins.push(
        await make('location', {
          code,
          warehouse,
          parent: zone,
          level: 'bin',
          bin_type: i === 0 ? 'picking' : 'storage',
          pick_sequence: i + 1,
          capacity_units: 500,
          x: String(i * 2),
          y: '0',
        }),
      );
    }
    const bearing = await make('item', {
      name: '不锈钢轴承 6204 / Bearing 6204',
      base_uom: pcs,
      standard_cost: '8.00',
      barcode: '6901234567892',
    });
    const filler = await make('item', {
      name: '玻尿酸填充剂 1ml / HA filler 1ml',
      base_uom: box,
      tracking: 'lot',
      shelf_life_days: 730,
      standard_cost: '600.00',
    });
    const scanner = await make('item', {
      name: '手持扫描枪 / Handheld scanner',
      base_uom: pcs,
      tracking: 'serial',
    });
    const lot = await make('lot', { item: filler, expires_on: '2027-12-31' });
    const serial = await make('serial_number', { serial_no: 'SN-DEMO-0001', item: scanner });
    await make('reorder_rule', {
      item: bearing,
      warehouse,
      min_qty: '100',
      max_qty: '1000',
      reorder_point: '200',
    });
    const schema = tenant.schemaName;
    await postStockMoveIn(tx, schema, {
      idempotencyKey: 'demo-receipt-1',
      moveType: 'receipt',
      warehouse,
      postingDate: '2026-01-05',
      sourceType: 'demo',
      sourceId: 'GRN-DEMO-1',
      lines: [
        { item: bearing, toLocation: bins[1]!, quantity: '500', unitCost: '7.80' },
        { item: filler, toLocation: bins[2]!, lot, quantity: '20', unitCost: '590.00' },
        { item: scanner, toLocation: bins[0]!, serial, quantity: '1', unitCost: '1500.00' },
      ],
    });
    await postStockMoveIn(tx, schema, {
      idempotencyKey: 'demo-transfer-1',
      moveType: 'transfer',
      warehouse,
      postingDate: '2026-01-06',
      lines: [{ item: bearing, fromLocation: bins[1]!, toLocation: bins[0]!, quantity: '120' }],
    });
    // Entered in boxes (1 box = 12 pieces): posted as 120 pieces at 7.90 each.
    await postStockMoveIn(tx, schema, {
      idempotencyKey: 'demo-receipt-boxes',
      moveType: 'receipt',
      warehouse,
      postingDate: '2026-01-10',
      lines: [{ item: bearing, toLocation: bins[1]!, quantity: '10', uom: box, unitCost: '94.80' }],
    });
    await postStockMoveIn(tx, schema, {
      idempotencyKey: 'demo-issue-1',
      moveType: 'issue',
      warehouse,
      postingDate: '2026-01-12',
      sourceType: 'demo',
      sourceId: 'SO-DEMO-1',
      lines: [{ item: bearing, fromLocation: bins[0]!, quantity: '100' }],
    });
    // Received late, dated before the issue: the issue is re-costed (FIFO by date).
    await postStockMoveIn(tx, schema, {
      idempotencyKey: 'demo-receipt-late',
      moveType: 'receipt',
      warehouse,
      postingDate: '2026-01-04',
      lines: [{ item: bearing, toLocation: bins[0]!, quantity: '50', unitCost: '7.50' }],
    });
  });
}
