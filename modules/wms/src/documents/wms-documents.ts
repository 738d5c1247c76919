/** The data of the warehouse documents: packing list, delivery note and Milk-Run route sheet. */
import { AppError, CoreErrors } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import type { MilkRun } from '../domain/milk-run.ts';
import { renderDocument } from './pdf.ts';

type Q = { db: Executor; schema: string };
const t = (q: Q, n: string) => sql.id(q.schema, n);

async function orderOf(q: Q, id: string) {
  const { rows } = await q.db.run<Record<string, string | null>>(
    sql`SELECT o.number, o.customer, o.ship_to, o.carrier, o.status, w.name AS warehouse
        FROM ${t(q, 'delivery_order')} o JOIN ${t(q, 'warehouse')} w ON w.id = o.warehouse WHERE o.id = ${id}::uuid`,
  );
  if (!rows[0]) throw new AppError(CoreErrors.RECORD_NOT_FOUND, { entity: 'delivery_order', id });
  return rows[0];
}

export async function packingListPdf(q: Q, orderId: string): Promise<Buffer> {
  const order = await orderOf(q, orderId);
  const { rows: cartons } = await q.db.run<{
    number: string;
    carton_type: string | null;
    weight_kg: string | null;
    contents: unknown;
  }>(
    sql`SELECT number, carton_type, weight_kg::text AS weight_kg, contents FROM ${t(q, 'carton')}
        WHERE delivery_order = ${orderId}::uuid ORDER BY number`,
  );
  const { rows: lines } = await q.db.run<{
    code: string;
    name: string;
    quantity: string;
    picked_qty: string;
  }>(
    sql`SELECT i.code, i.name, l.quantity::text AS quantity, l.picked_qty::text AS picked_qty
        FROM ${t(q, 'delivery_order_line')} l JOIN ${t(q, 'item')} i ON i.id = l.item
        WHERE l.parent_id = ${orderId}::uuid ORDER BY l.line_no`,
  );
  return renderDocument({
    title: ['装箱单', 'Packing list'],
    facts: [
      [['发货单', 'Delivery order'], order.number ?? ''],
      [['客户', 'Customer'], order.customer ?? ''],
      [['仓库', 'Warehouse'], order.warehouse ?? ''],
      [
        ['箱数', 'Cartons'],
        cartons.map((c) => `${c.number} ${c.carton_type ?? ''} ${c.weight_kg ?? ''} kg`).join('; '),
      ],
    ],
    columns: [
      { header: ['物料编号', 'Item'], width: 130 },
      { header: ['名称', 'Name'], width: 230 },
      { header: ['订购', 'Ordered'], width: 70, align: 'right' },
      { header: ['已装', 'Packed'], width: 70, align: 'right' },
    ],
    rows: lines.map((l) => [l.code, l.name, l.quantity, l.picked_qty]),
  });
}

export async function deliveryNotePdf(q: Q, orderId: string): Promise<Buffer> {
  const order = await orderOf(q, orderId);
  const { rows: ships } = await q.db.run<{
    number: string;
    carrier: string;
    tracking_number: string;
    shipped_at: string | null;
    total_weight_kg: string | null;
  }>(
    sql`SELECT number, carrier, tracking_number, shipped_at::text AS shipped_at, total_weight_kg::text AS total_weight_kg
        FROM ${t(q, 'shipment')} WHERE delivery_order = ${orderId}::uuid ORDER BY number`,
  );
  const { rows: lines } = await q.db.run<{
    code: string;
    name: string;
    picked_qty: string;
    backorder_qty: string;
  }>(
    sql`SELECT i.code, i.name, l.picked_qty::text AS picked_qty, l.backorder_qty::text AS backorder_qty
        FROM ${t(q, 'delivery_order_line')} l JOIN ${t(q, 'item')} i ON i.id = l.item
        WHERE l.parent_id = ${orderId}::uuid ORDER BY l.line_no`,
  );
  const ship = ships[0];
  return renderDocument({
    title: ['送货单', 'Delivery note'],
    facts: [
      [['发货单', 'Delivery order'], order.number ?? ''],
      [['客户', 'Customer'], order.customer ?? ''],
      [['收货地址', 'Ship to'], order.ship_to ?? ''],
      [['承运商', 'Carrier'], ship?.carrier ?? order.carrier ?? ''],
      [['运单号', 'Tracking number'], ship?.tracking_number ?? ''],
      [['发运时间', 'Shipped at'], ship?.shipped_at ?? ''],
      [['总重量（kg）', 'Total weight (kg)'], ship?.total_weight_kg ?? ''],
    ],
    columns: [
      { header: ['物料编号', 'Item'], width: 130 },
      { header: ['名称', 'Name'], width: 230 },
      { header: ['发货数量', 'Shipped'], width: 70, align: 'right' },
      { header: ['欠货', 'Back-ordered'], width: 70, align: 'right' },
    ],
    rows: lines.map((l) => [l.code, l.name, l.picked_qty, l.backorder_qty]),
    footer: ['收货人签字：', 'Received by:'],
  });
}

export async function routeSheetPdf(q: Q, runId: string): Promise<Buffer> {
  const { rows } = await q.db.run<{ number: string; plan: MilkRun; route_name: string }>(
    sql`SELECT m.number, m.plan, r.name AS route_name FROM ${t(q, 'milk_run')} m
        JOIN ${t(q, 'milk_run_route')} r ON r.id = m.route WHERE m.id = ${runId}::uuid`,
  );
  const run = rows[0];
  if (!run) throw new AppError(CoreErrors.RECORD_NOT_FOUND, { entity: 'milk_run', id: runId });
  const { rows: items } = await q.db.run<{ id: string; name: string }>(
    sql`SELECT id, name FROM ${t(q, 'item')} WHERE id = ANY(${run.plan.sheet.lines.map((l) => l.item)}::uuid[])`,
  );
  const names = new Map(items.map((i) => [i.id, i.name]));
  const stopRows = run.plan.stops.flatMap((stop) =>
    stop.items.length === 0
      ? [[String(stop.sequence), stop.name, stop.arrival.slice(11, 16), '-', '', '']]
      : stop.items.map((it) => [
          String(stop.sequence),
          stop.name,
          stop.arrival.slice(11, 16),
          names.get(it.item) ?? it.item,
          it.quantity,
          it.references.join(', '),
        ]),
  );
  return renderDocument({
    title: ['循环取货路线单', 'Milk-Run route sheet'],
    facts: [
      [['班次', 'Run'], run.number],
      [['路线', 'Route'], run.route_name],
      [['发车', 'Departs'], run.plan.departsAt],
      [['返回', 'Returns'], run.plan.returnsAt],
    ],
    columns: [
      { header: ['站', 'Stop'], width: 40 },
      { header: ['供应商', 'Supplier'], width: 130 },
      { header: ['到达（UTC）', 'Arrive (UTC)'], width: 70 },
      { header: ['物料', 'Item'], width: 130 },
      { header: ['数量', 'Qty'], width: 60, align: 'right' },
      { header: ['单据', 'References'], width: 85 },
    ],
    rows: stopRows,
    footer: ['司机签字：', 'Driver:'],
  });
}
