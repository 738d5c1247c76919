/**
 * Reserving stock for a source document: under the (item, warehouse) stock row lock, available =
 * on hand - reserved; lots are taken first-expiring first (expired lots are skipped); a serial can
 * be reserved once. Without `allowPartial` a shortfall is a 409; with it, the rest is back-ordered.
 *
 * The common case (an untracked item with enough available) is one statement (decision 0015): it
 * raises `reserved` only where `on_hand - reserved` still covers the quantity (READ COMMITTED
 * re-checks that condition on the newest row version after waiting for its lock, so nothing is
 * oversold) and inserts the reservation from its RETURNING. When it changes nothing, the full path
 * below runs (lots, serials, partial reservations, the 409 with the available quantity).
 */
import { AppError, Decimal, isUuid, newId, parseDecimal } from '@tenon/core';
import { type Database, type Executor, sql } from '@tenon/db';
import { allocate, type LotAvailability } from '../domain/allocate-reservation.ts';
import { InventoryErrors } from '../errors.ts';
import { NIL } from '../migrations.ts';
import { loadItems } from '../repositories/master-data.repository.ts';
import { runPrepared } from '../repositories/prepared.ts';
import { dec, lockStock, orNil } from '../repositories/stock.repository.ts';
import { reserveCombined } from './reserve-combined.ts';

export type ReserveInput = {
  item: string;
  warehouse: string;
  quantity: string;
  serial?: string | null;
  lot?: string | null;
  sourceType: string;
  sourceId: string;
  allowPartial?: boolean;
  /** The business date: lots expired before it are not reserved. */
  today: string;
};

export type ReserveResult = {
  reservations: { id: string; lot: string | null; serial: string | null; quantity: string }[];
  reserved: string;
  backorder: string;
};

const bad = (field: string, reason: string) =>
  new AppError(InventoryErrors.INVENTORY_BAD_INPUT, { field, reason });

function checkInput(input: ReserveInput): Decimal {
  if (!isUuid(input.item)) throw bad('item', 'must be an id');
  if (!isUuid(input.warehouse)) throw bad('warehouse', 'must be an id');
  for (const f of ['serial', 'lot'] as const)
    if (input[f] && !isUuid(input[f])) throw bad(f, 'must be an id');
  const quantity = parseDecimal(input.quantity);
  if (!quantity || quantity.lte(0)) throw bad('quantity', 'must be a positive decimal string');
  if (!input.sourceType || !input.sourceId) throw bad('source', 'sourceType and sourceId are required');
  return quantity;
}

/**
 * The one-statement reservation of an untracked item when enough is available. It also answers
 * the item's tracking and the available quantity as of the statement's start, so that a plain
 * shortfall is refused at once (the UPDATE's own re-check decided it). null: the full path decides
 * (tracked or unknown item, no stock row, a partial reservation, or a stale availability).
 */
async function reserveAtOnce(
  ex: Executor,
  schema: string,
  input: ReserveInput,
  quantity: Decimal,
): Promise<ReserveResult | null> {
  if (input.lot || input.serial) return null;
  const id = newId();
  const q = quantity.toFixed();
  const { rows } = await runPrepared<{
    id: string | null;
    tracking: string | null;
    available: string | null;
  }>(
    ex,
    schema,
    sql`WITH s AS (
        UPDATE ${sql.id(schema, 'inv_stock')} SET reserved = reserved + ${q}::numeric
        WHERE item_id = ${input.item}::uuid AND warehouse_id = ${input.warehouse}::uuid
          AND on_hand - reserved >= ${q}::numeric
          AND EXISTS (SELECT 1 FROM ${sql.id(schema, 'item')} i WHERE i.id = ${input.item}::uuid AND i.tracking = 'none')
        RETURNING item_id, warehouse_id),
      r AS (INSERT INTO ${sql.id(schema, 'inv_reservation')}
        (id, item_id, warehouse_id, lot_id, serial_id, quantity, source_type, source_id)
        SELECT ${id}::uuid, s.item_id, s.warehouse_id, ${NIL}::uuid, ${NIL}::uuid, ${q}::numeric,
          ${input.sourceType}, ${input.sourceId} FROM s
        RETURNING id)
      SELECT (SELECT id FROM r) AS id,
        (SELECT i.tracking FROM ${sql.id(schema, 'item')} i WHERE i.id = ${input.item}::uuid) AS tracking,
        (SELECT (k.on_hand - k.reserved)::text FROM ${sql.id(schema, 'inv_stock')} k
          WHERE k.item_id = ${input.item}::uuid AND k.warehouse_id = ${input.warehouse}::uuid) AS available`,
  );
  const row = rows[0]!;
  if (row.id)
    return { reservations: [{ id, lot: null, serial: null, quantity: q }], reserved: q, backorder: '0' };
  if (row.tracking !== 'none' || row.available === null || input.allowPartial) return null;
  const available = dec(row.available);
  if (available.gte(quantity)) return null;
  throw new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_AVAILABLE, {
    item: input.item,
    available: Decimal.max(available, 0).toFixed(),
    requested: q,
  });
}

export async function reserveStockIn(
  tx: Executor,
  schema: string,
  input: ReserveInput,
): Promise<ReserveResult> {
  const quantity = checkInput(input);
  return (await reserveAtOnce(tx, schema, input, quantity)) ?? reserveFully(tx, schema, input, quantity);
}

async function reserveFully(
  tx: Executor,
  schema: string,
  input: ReserveInput,
  quantity: Decimal,
): Promise<ReserveResult> {
  const item = (await loadItems(tx, schema, [input.item])).get(input.item)!;
  const stock = (await lockStock(tx, schema, [{ itemId: input.item, warehouseId: input.warehouse }])).get(
    `${input.item}|${input.warehouse}`,
  )!;
  const available = stock.onHand.minus(stock.reserved);
  let takes: { lotId: string | null; serialId: string | null; quantity: Decimal }[];
  let backorder = new Decimal(0);
  if (item.tracking === 'serial') {
    if (!input.serial) throw bad('serial', 'is required for a serial-tracked item');
    if (!quantity.eq(1)) throw bad('quantity', 'must be 1 for a serial');
    const { rows } = await tx.run(
      sql`SELECT 1 FROM ${sql.id(schema, 'inv_balance')} b WHERE b.serial_id = ${input.serial}::uuid
            AND b.warehouse_id = ${input.warehouse}::uuid AND b.on_hand = 1
            AND NOT EXISTS (SELECT 1 FROM ${sql.id(schema, 'inv_reservation')} r
              WHERE r.serial_id = b.serial_id AND r.status = 'active')`,
    );
    if (rows.length === 0)
      throw new AppError(InventoryErrors.INVENTORY_SERIAL_UNAVAILABLE, { serial: input.serial });
    takes = [{ lotId: null, serialId: input.serial, quantity }];
  } else {
    const lots = item.tracking === 'lot' ? await lotAvailability(tx, schema, input) : null;
    const pool: LotAvailability[] = lots ?? [{ lotId: null, expiresOn: null, firstSeq: '0', available }];
    // The warehouse total bounds every lot split (other reservations may not name a lot).
    const cap = Decimal.max(available, 0);
    const allocation = allocate(pool, quantity, true);
    let left = cap;
    takes = [];
    for (const t of allocation.takes) {
      const q = Decimal.min(t.quantity, left);
      if (q.gt(0)) takes.push({ lotId: t.lotId, serialId: null, quantity: q });
      left = left.minus(q);
    }
    const got = takes.reduce((s, t) => s.plus(t.quantity), new Decimal(0));
    backorder = quantity.minus(got);
    if (backorder.gt(0) && !input.allowPartial) {
      throw new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_AVAILABLE, {
        item: input.item,
        available: Decimal.max(got, 0).toFixed(),
        requested: quantity.toFixed(),
      });
    }
  }
  const reservations: ReserveResult['reservations'] = takes.map((t) => ({
    id: newId(),
    lot: t.lotId,
    serial: t.serialId,
    quantity: t.quantity.toFixed(),
  }));
  const reserved = takes.reduce((s, t) => s.plus(t.quantity), new Decimal(0));
  // The reservations and the stock row's reserved total in one statement: the hot row's lock is
  // held for one round trip less.
  await tx.run(sql`WITH r AS (INSERT INTO ${sql.id(schema, 'inv_reservation')}
      (id, item_id, warehouse_id, lot_id, serial_id, quantity, source_type, source_id)
      SELECT v.id, ${input.item}::uuid, ${input.warehouse}::uuid, v.lot_id, v.serial_id, v.quantity,
        ${input.sourceType}, ${input.sourceId}
      FROM unnest(${reservations.map((r) => r.id)}::uuid[], ${reservations.map((r) => orNil(r.lot))}::uuid[],
        ${reservations.map((r) => orNil(r.serial))}::uuid[], ${reservations.map((r) => r.quantity)}::numeric[])
        AS v(id, lot_id, serial_id, quantity))
    UPDATE ${sql.id(schema, 'inv_stock')} SET reserved = reserved + ${reserved.toFixed()}::numeric
    WHERE item_id = ${input.item}::uuid AND warehouse_id = ${input.warehouse}::uuid`);
  return { reservations, reserved: reserved.toFixed(), backorder: backorder.toFixed() };
}

/** Per lot in the warehouse: on hand - active reservations of that lot; unexpired lots only. */
async function lotAvailability(
  tx: Executor,
  schema: string,
  input: ReserveInput,
): Promise<LotAvailability[]> {
  const { rows } = await tx.run<{
    lot_id: string;
    expires_on: string | null;
    first_seq: string;
    available: string;
  }>(
    sql`SELECT b.lot_id, l.expires_on::text AS expires_on,
          (SELECT coalesce(min(g.seq), 0)::text FROM ${sql.id(schema, 'inv_ledger')} g
            WHERE g.lot_id = b.lot_id AND g.warehouse_id = b.warehouse_id) AS first_seq,
          (sum(b.on_hand) - coalesce((SELECT sum(r.quantity) FROM ${sql.id(schema, 'inv_reservation')} r
            WHERE r.item_id = b.item_id AND r.warehouse_id = b.warehouse_id AND r.lot_id = b.lot_id
              AND r.status = 'active'), 0))::text AS available
        FROM ${sql.id(schema, 'inv_balance')} b JOIN ${sql.id(schema, 'lot')} l ON l.id = b.lot_id
        WHERE b.item_id = ${input.item}::uuid AND b.warehouse_id = ${input.warehouse}::uuid AND b.lot_id <> ${NIL}::uuid
          AND (l.expires_on IS NULL OR l.expires_on >= ${input.today}::date)
          AND (${input.lot ?? null}::uuid IS NULL OR b.lot_id = ${input.lot ?? null}::uuid)
        GROUP BY b.item_id, b.warehouse_id, b.lot_id, l.expires_on`,
  );
  return rows.map((r) => ({
    lotId: r.lot_id,
    expiresOn: r.expires_on,
    firstSeq: r.first_seq,
    available: dec(r.available),
  }));
}

/**
 * Reserves in autocommit when the one-statement path applies (the hot row is locked for that
 * statement and its commit only), else in a transaction of its own.
 */
export async function reserveStock(
  db: Database,
  schema: string,
  input: ReserveInput,
): Promise<ReserveResult> {
  const quantity = checkInput(input);
  // Untracked: the process's concurrent reservations of the item are combined (decision 0019).
  const combined = input.lot || input.serial ? null : await reserveCombined(db, schema, input, quantity);
  return combined ?? db.transaction((tx) => reserveFully(tx, schema, input, quantity));
}
