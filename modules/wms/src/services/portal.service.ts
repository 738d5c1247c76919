/**
 * The supplier portal and VMI: a `supplier_portal` role whose row conditions keep a supplier's user to
 * its own ASNs, VMI agreements, consignment entries, kanban signals and items; a view of our stock,
 * recent consumption and a simple forecast for the supplier's VMI items; replenishment ASNs proposed
 * from the agreements' min/max.
 */
import { Decimal } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';

const own = { field: 'supplier', op: 'eq', value: '$user.supplier' };

/** PUT it to `/api/v1/security/roles/supplier_portal`; give each user `attributes.supplier` (and `supplier_code`). */
export const SUPPLIER_PORTAL_ROLE = {
  name: 'supplier_portal',
  label: { 'zh-CN': '供应商门户', en: 'Supplier portal' },
  description: 'A supplier sees and submits its own ASNs and sees its VMI items and our stock of them.',
  permissions: [
    {
      entity: 'asn',
      actions: ['read', 'create', 'update', 'submit'],
      where: own,
      hiddenFields: ['process_id'],
    },
    { entity: 'asn_line', actions: ['read', 'create', 'update'] },
    { entity: 'vmi_agreement', actions: ['read'], where: own },
    // Its consigned stock and what we consumed of it (decision 0066), and the kanban refills it owes.
    { entity: 'consignment_entry', actions: ['read'], where: own },
    { entity: 'kanban_signal', actions: ['read'], where: own },
    { entity: 'wms_supplier', actions: ['read'], where: { field: 'id', op: 'eq', value: '$user.supplier' } },
    {
      entity: 'item',
      actions: ['read'],
      where: { field: 'default_supplier', op: 'eq', value: '$user.supplier_code' },
      hiddenFields: ['standard_cost'],
    },
    { entity: 'warehouse', actions: ['read'] },
  ],
};

export type VmiPosition = {
  agreement: string;
  code: string;
  item: string;
  itemCode: string;
  itemName: string;
  warehouse: string;
  min: string;
  max: string;
  consignment: boolean;
  onHand: string;
  reserved: string;
  incoming: string;
  consumed30d: string;
  dailyAverage: string;
  forecast14d: string;
  daysOfCover: string | null;
  suggested: string;
};

/**
 * Per active agreement of the supplier: stock (inventory's balances), incoming (open ASN lines),
 * consumption over the last 30 days (issues in inventory's ledger), the 14-day forecast as the
 * daily average, and the suggested replenishment: up to the maximum when stock + incoming is at or
 * below the minimum.
 */
export async function vmiPositions(
  db: Executor,
  schema: string,
  supplier: string,
  today: string,
): Promise<VmiPosition[]> {
  const t = (n: string) => sql.id(schema, n);
  const { rows } = await db.run<{
    id: string;
    code: string;
    item: string;
    item_code: string;
    item_name: string;
    warehouse: string;
    min_qty: string;
    max_qty: string;
    consignment: boolean;
    on_hand: string;
    reserved: string;
    incoming: string;
    consumed: string;
  }>(
    sql`SELECT v.id, v.code, v.item, i.code AS item_code, i.name AS item_name, v.warehouse,
          v.min_qty::text AS min_qty, v.max_qty::text AS max_qty, coalesce(v.consignment, false) AS consignment,
          coalesce((SELECT sum(on_hand) FROM ${t('inv_stock')} s WHERE s.item_id = v.item AND s.warehouse_id = v.warehouse), 0)::text AS on_hand,
          coalesce((SELECT sum(reserved) FROM ${t('inv_stock')} s WHERE s.item_id = v.item AND s.warehouse_id = v.warehouse), 0)::text AS reserved,
          coalesce((SELECT sum(l.quantity - l.received_qty - l.damaged_qty) FROM ${t('asn')} a JOIN ${t('asn_line')} l ON l.parent_id = a.id
            WHERE a.supplier = v.supplier AND a.warehouse = v.warehouse AND l.item = v.item
              AND a.status IN ('draft', 'submitted', 'receiving') AND l.quantity > l.received_qty + l.damaged_qty), 0)::text AS incoming,
          coalesce((SELECT -sum(g.quantity) FROM ${t('inv_ledger')} g WHERE g.item_id = v.item AND g.warehouse_id = v.warehouse
            AND g.move_type IN ('issue', 'scrap') AND g.posting_date > ${today}::date - 30), 0)::text AS consumed
        FROM ${t('vmi_agreement')} v JOIN ${t('item')} i ON i.id = v.item
        WHERE v.supplier = ${supplier}::uuid AND v.active IS NOT FALSE ORDER BY v.code`,
  );
  return rows.map((r) => {
    const onHand = new Decimal(r.on_hand);
    const daily = new Decimal(r.consumed).dividedBy(30);
    const position = onHand.plus(r.incoming);
    const suggested = position.lte(r.min_qty)
      ? Decimal.max(new Decimal(r.max_qty).minus(position), 0)
      : new Decimal(0);
    return {
      agreement: r.id,
      code: r.code,
      item: r.item,
      itemCode: r.item_code,
      itemName: r.item_name,
      warehouse: r.warehouse,
      min: r.min_qty,
      max: r.max_qty,
      consignment: r.consignment,
      onHand: onHand.toFixed(),
      reserved: r.reserved,
      incoming: new Decimal(r.incoming).toFixed(),
      consumed30d: new Decimal(r.consumed).toFixed(),
      dailyAverage: daily.toDecimalPlaces(3).toFixed(),
      forecast14d: daily.times(14).toDecimalPlaces(3).toFixed(),
      daysOfCover: daily.gt(0) ? onHand.dividedBy(daily).toDecimalPlaces(1).toFixed() : null,
      suggested: suggested.toFixed(),
    };
  });
}
