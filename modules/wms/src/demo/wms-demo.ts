/**
 * Warehouse demo data, for `tenon demo` (call after the inventory demo, with a system context):
 * a warehouse of three aisles with coordinates, a receiving dock and a quarantine bin, three
 * suppliers with items, stock received and put away through the ASN flow, three reserved delivery
 * orders of one carrier ready to wave, a Milk-Run route over the three suppliers, VMI agreements (the
 * first on consignment) and a kanban card per supplier.
 * Returns the ids a walkthrough needs. Idempotent: does nothing when supplier `SUP-HD` exists.
 */
import { type Database, sql } from '@tenon/db';
import { ActionRegistry, createRecordIn, type RecordContext, runAction } from '@tenon/design';
import { registerWmsActions } from '../actions/wms.actions.ts';

export type WmsDemo = { warehouse: string; orders: string[]; route: string; suppliers: string[] } | null;

export async function loadWmsDemo(db: Database, ctx: RecordContext): Promise<WmsDemo> {
  const metamodel = ctx.metamodel;
  if (!metamodel.find('asn') || !metamodel.find('company')) return null;
  const registry = new ActionRegistry();
  registerWmsActions(registry);
  return db.transaction(async (tx) => {
    const schema = metamodel.tenant.schemaName;
    const { rows } = await tx.run(sql`SELECT 1 FROM ${sql.id(schema, 'wms_supplier')} WHERE code = 'SUP-HD'`);
    if (rows.length > 0) return null;
    const make = async (entity: string, data: Record<string, unknown>) =>
      (await createRecordIn(tx, ctx, metamodel.get(entity), data)).id as string;
    const act = (entity: string, id: string, action: string, body: unknown = {}) =>
      runAction(tx, ctx, { registry, entity: metamodel.get(entity), id, action, body });

    const company = await make('company', { code: 'WMS01', name: '榫卯物流 / Tenon Logistics' });
    const pcs = await make('uom', { code: 'EA', name: '个 / each' });
    const warehouse = await make('warehouse', { code: 'WH-DC', name: '华东配送中心 / East DC', company });
    const zone = await make('location', { code: 'DC', warehouse, level: 'zone' });
    await make('location', {
      code: 'DOCK-1',
      warehouse,
      parent: zone,
      level: 'bin',
      bin_type: 'receiving',
      x: '0',
      y: '0',
    });
    await make('location', { code: 'QC-1', warehouse, parent: zone, level: 'bin', bin_type: 'quarantine' });
    let seq = 0;
    for (const [aisle, x] of [
      ['R1', 3],
      ['R2', 7],
      ['R3', 11],
    ] as const) {
      const a = await make('location', {
        code: aisle,
        warehouse,
        parent: zone,
        level: 'aisle',
        x: String(x),
      });
      for (let i = 1; i <= 6; i++) {
        await make('location', {
          code: `${aisle}-${String(i).padStart(2, '0')}`,
          warehouse,
          parent: a,
          level: 'bin',
          bin_type: 'storage',
          x: String(x - 1),
          y: String(i * 2),
          pick_sequence: seq++,
          capacity_units: 200,
        });
      }
    }
    const suppliers: string[] = [];
    const items: string[] = [];
    const catalogue = [
      ['SUP-HD', '华东五金 / East Hardware', '六角螺栓 M8 / Hex bolt M8', '6901000000011'],
      ['SUP-SZ', '苏州精密 / Suzhou Precision', '深沟球轴承 6204 / Bearing 6204', '6901000000028'],
      ['SUP-NB', '宁波塑料 / Ningbo Plastics', '包装托盘 / Plastic tray', '6901000000035'],
    ] as const;
    for (const [code, name, item, barcode] of catalogue) {
      suppliers.push(await make('wms_supplier', { code, name }));
      items.push(
        await make('item', {
          name: item,
          base_uom: pcs,
          barcode,
          default_supplier: code,
          standard_cost: '1.20',
        }),
      );
    }
    // Inbound: one ASN per supplier, received by scan and put away on the suggested bins.
    for (const [i, supplier] of suppliers.entries()) {
      const asn = await make('asn', {
        supplier,
        warehouse,
        expected_date: '2026-11-27',
        lines: [{ item: items[i], quantity: '120' }],
      });
      await act('asn', asn, 'submit');
      await act('asn', asn, 'receive', { code: catalogue[i]![3], quantity: '120' });
    }
    const { rows: tasks } = await tx.run<{ id: string; code: string }>(
      sql`SELECT t.id, l.code FROM ${sql.id(schema, 'putaway_task')} t JOIN ${sql.id(schema, 'location')} l
            ON l.id = t.suggested_location WHERE t.warehouse = ${warehouse}::uuid AND t.status = 'open'`,
    );
    for (const task of tasks) await act('putaway_task', task.id, 'confirm', { location: task.code });
    // Outbound: three reserved orders of one carrier, ready to wave.
    const orders: string[] = [];
    for (const [n, lines] of [
      [
        [0, '10'],
        [1, '4'],
      ],
      [
        [1, '6'],
        [2, '2'],
      ],
      [
        [0, '5'],
        [2, '3'],
      ],
    ].entries()) {
      const order = await make('delivery_order', {
        customer: ['杭州机电 / Hangzhou M&E', '南京装备 / Nanjing Equipment', '合肥电子 / Hefei Electronics'][
          n
        ],
        ship_to: ['杭州市滨江区', '南京市江宁区', '合肥市高新区'][n],
        warehouse,
        carrier: 'SF',
        lines: lines.map(([i, q]) => ({ item: items[i as number], quantity: q })),
      });
      await act('delivery_order', order, 'reserve');
      orders.push(order);
    }
    const route = await make('milk_run_route', {
      code: 'MR-EAST',
      name: '华东循环取货 / East loop',
      warehouse,
      departures: '08:00, 14:00',
      stops: suppliers.map((supplier, i) => ({ supplier, drive_minutes: 25 + 10 * i, dwell_minutes: 15 })),
    });
    for (const [i, supplier] of suppliers.entries()) {
      await make('vmi_agreement', {
        code: `VMI-${i + 1}`,
        supplier,
        item: items[i],
        warehouse,
        min_qty: '150',
        max_qty: '400',
        consignment: i === 0,
        ...(i === 0 ? { agreed_price: '1.80' } : {}),
      });
      // A kanban card per supplier: scanning it asks for a refill on the next Milk-Run.
      await make('kanban_card', {
        code: `KB-${i + 1}`,
        supplier,
        item: items[i],
        warehouse,
        quantity: '50',
      });
    }
    return { warehouse, orders, route, suppliers };
  });
}
