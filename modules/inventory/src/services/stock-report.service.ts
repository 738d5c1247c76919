/**
 * Read side: stock balance and value as of a date (summed from the ledger, so any past date is
 * exact), availability now, and movement history per item, lot or serial.
 */
import { type Executor, sql } from '@tenon/db';
import { NIL } from '../migrations.ts';

export type BalanceFilter = {
  asOf?: string;
  item?: string;
  warehouse?: string;
  location?: string;
  lot?: string;
};

export async function stockBalanceAsOf(db: Executor, schema: string, f: BalanceFilter) {
  const { rows } = await db.run<{
    item_id: string;
    warehouse_id: string;
    location_id: string;
    lot_id: string | null;
    serial_id: string | null;
    quantity: string;
    value: string;
  }>(sql`SELECT item_id, warehouse_id, location_id, nullif(lot_id, ${NIL}::uuid) AS lot_id,
           nullif(serial_id, ${NIL}::uuid) AS serial_id, sum(quantity)::text AS quantity, sum(value)::text AS value
         FROM ${sql.id(schema, 'inv_ledger')}
         WHERE (${f.asOf ?? null}::date IS NULL OR posting_date <= ${f.asOf ?? null}::date)
           AND (${f.item ?? null}::uuid IS NULL OR item_id = ${f.item ?? null}::uuid)
           AND (${f.warehouse ?? null}::uuid IS NULL OR warehouse_id = ${f.warehouse ?? null}::uuid)
           AND (${f.location ?? null}::uuid IS NULL OR location_id = ${f.location ?? null}::uuid)
           AND (${f.lot ?? null}::uuid IS NULL OR lot_id = ${f.lot ?? null}::uuid)
         GROUP BY item_id, warehouse_id, location_id, lot_id, serial_id
         HAVING sum(quantity) <> 0
         ORDER BY item_id, location_id`);
  return rows.map((r) => ({
    item: r.item_id,
    warehouse: r.warehouse_id,
    location: r.location_id,
    lot: r.lot_id,
    serial: r.serial_id,
    quantity: r.quantity,
    value: r.value,
  }));
}

/** Stock value per item and company as of a date: the sum of the ledger's values up to that date. */
export async function stockValueAsOf(db: Executor, schema: string, f: { asOf: string; company?: string }) {
  const { rows } = await db.run<{ item_id: string; company_id: string; quantity: string; value: string }>(
    sql`SELECT item_id, company_id, sum(quantity)::text AS quantity, sum(value)::text AS value
        FROM ${sql.id(schema, 'inv_ledger')}
        WHERE posting_date <= ${f.asOf}::date
          AND (${f.company ?? null}::uuid IS NULL OR company_id = ${f.company ?? null}::uuid)
        GROUP BY item_id, company_id ORDER BY item_id`,
  );
  return rows.map((r) => ({ item: r.item_id, company: r.company_id, quantity: r.quantity, value: r.value }));
}

export async function availability(db: Executor, schema: string, f: { item: string; warehouse?: string }) {
  const { rows } = await db.run<{
    warehouse_id: string;
    on_hand: string;
    reserved: string;
    available: string;
  }>(
    sql`SELECT warehouse_id, on_hand::text AS on_hand, reserved::text AS reserved, (on_hand - reserved)::text AS available
        FROM ${sql.id(schema, 'inv_stock')}
        WHERE item_id = ${f.item}::uuid AND (${f.warehouse ?? null}::uuid IS NULL OR warehouse_id = ${f.warehouse ?? null}::uuid)
        ORDER BY warehouse_id`,
  );
  return rows.map((r) => ({
    warehouse: r.warehouse_id,
    onHand: r.on_hand,
    reserved: r.reserved,
    available: r.available,
  }));
}

/**
 * Availability of an item now, per warehouse (on hand, reserved, available), with the on-hand stock
 * per location and lot and the reserved and available quantity per lot.
 */
export async function availabilityDetail(
  db: Executor,
  schema: string,
  f: { item: string; warehouse?: string; location?: string; lot?: string },
) {
  const warehouses = await availability(db, schema, f);
  const w = f.warehouse ?? null;
  const { rows: locations } = await db.run<{
    warehouse: string;
    location: string;
    lot: string | null;
    serial: string | null;
    on_hand: string;
  }>(
    sql`SELECT warehouse_id AS warehouse, location_id AS location, nullif(lot_id, ${NIL}::uuid) AS lot,
          nullif(serial_id, ${NIL}::uuid) AS serial, on_hand::text AS on_hand
        FROM ${sql.id(schema, 'inv_balance')}
        WHERE item_id = ${f.item}::uuid AND on_hand <> 0
          AND (${w}::uuid IS NULL OR warehouse_id = ${w}::uuid)
          AND (${f.location ?? null}::uuid IS NULL OR location_id = ${f.location ?? null}::uuid)
          AND (${f.lot ?? null}::uuid IS NULL OR lot_id = ${f.lot ?? null}::uuid)
        ORDER BY warehouse_id, location_id, lot_id, serial_id`,
  );
  const { rows: lots } = await db.run<{
    warehouse: string;
    lot: string;
    on_hand: string;
    reserved: string;
    available: string;
  }>(
    sql`WITH b AS (SELECT warehouse_id, lot_id, sum(on_hand) AS on_hand FROM ${sql.id(schema, 'inv_balance')}
                   WHERE item_id = ${f.item}::uuid AND lot_id <> ${NIL}::uuid GROUP BY 1, 2),
             r AS (SELECT warehouse_id, lot_id, sum(quantity) AS reserved FROM ${sql.id(schema, 'inv_reservation')}
                   WHERE item_id = ${f.item}::uuid AND status = 'active' AND lot_id <> ${NIL}::uuid GROUP BY 1, 2)
        SELECT coalesce(b.warehouse_id, r.warehouse_id) AS warehouse, coalesce(b.lot_id, r.lot_id) AS lot,
          coalesce(b.on_hand, 0)::text AS on_hand, coalesce(r.reserved, 0)::text AS reserved,
          (coalesce(b.on_hand, 0) - coalesce(r.reserved, 0))::text AS available
        FROM b FULL JOIN r ON r.warehouse_id = b.warehouse_id AND r.lot_id = b.lot_id
        WHERE (${w}::uuid IS NULL OR coalesce(b.warehouse_id, r.warehouse_id) = ${w}::uuid)
          AND (${f.lot ?? null}::uuid IS NULL OR coalesce(b.lot_id, r.lot_id) = ${f.lot ?? null}::uuid)
          AND (coalesce(b.on_hand, 0) <> 0 OR coalesce(r.reserved, 0) <> 0)
        ORDER BY 1, 2`,
  );
  return {
    warehouses,
    locations: locations.map((r) => ({
      warehouse: r.warehouse,
      location: r.location,
      lot: r.lot,
      serial: r.serial,
      onHand: r.on_hand,
    })),
    lots: lots.map((r) => ({
      warehouse: r.warehouse,
      lot: r.lot,
      onHand: r.on_hand,
      reserved: r.reserved,
      available: r.available,
    })),
  };
}

export async function movementHistory(
  db: Executor,
  schema: string,
  f: { item?: string; lot?: string; serial?: string; limit?: number },
) {
  const { rows } = await db.run<Record<string, string>>(
    sql`SELECT seq::text AS seq, move_id, move_type, item_id, location_id, nullif(lot_id, ${NIL}::uuid) AS lot_id,
          nullif(serial_id, ${NIL}::uuid) AS serial_id, quantity::text AS quantity, value::text AS value,
          posting_date::text AS posting_date, source_type, source_id
        FROM ${sql.id(schema, 'inv_ledger')}
        WHERE (${f.item ?? null}::uuid IS NULL OR item_id = ${f.item ?? null}::uuid)
          AND (${f.lot ?? null}::uuid IS NULL OR lot_id = ${f.lot ?? null}::uuid)
          AND (${f.serial ?? null}::uuid IS NULL OR serial_id = ${f.serial ?? null}::uuid)
        ORDER BY seq::bigint LIMIT ${f.limit ?? 1000}`,
  );
  return rows;
}
