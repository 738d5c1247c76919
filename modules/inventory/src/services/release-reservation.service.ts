/** Releasing reservations (one by id, or all of a source document, e.g. when it is cancelled). */
import { AppError, Decimal, isUuid } from '@tenon/core';
import { type Database, type Executor, sql } from '@tenon/db';
import { InventoryErrors } from '../errors.ts';
import { addStock, dec, lockStock } from '../repositories/stock.repository.ts';

export type ReleaseInput = { id: string } | { sourceType: string; sourceId: string };

export async function releaseReservationsIn(
  tx: Executor,
  schema: string,
  input: ReleaseInput,
): Promise<{ released: number }> {
  if ('id' in input && !isUuid(input.id))
    throw new AppError(InventoryErrors.INVENTORY_BAD_INPUT, { field: 'id', reason: 'must be an id' });
  const where =
    'id' in input
      ? sql`id = ${input.id}::uuid`
      : sql`source_type = ${input.sourceType} AND source_id = ${input.sourceId}`;
  const { rows: found } = await tx.run<{ item_id: string; warehouse_id: string }>(
    sql`SELECT DISTINCT item_id, warehouse_id FROM ${sql.id(schema, 'inv_reservation')} WHERE ${where} AND status = 'active'`,
  );
  if (found.length === 0) {
    if ('id' in input) throw new AppError(InventoryErrors.INVENTORY_RESERVATION_NOT_ACTIVE, { id: input.id });
    return { released: 0 };
  }
  await lockStock(
    tx,
    schema,
    found.map((r) => ({ itemId: r.item_id, warehouseId: r.warehouse_id })),
  );
  const { rows } = await tx.run<{ item_id: string; warehouse_id: string; quantity: string }>(
    sql`UPDATE ${sql.id(schema, 'inv_reservation')} SET status = 'released', released_at = now()
        WHERE ${where} AND status = 'active' RETURNING item_id, warehouse_id, quantity`,
  );
  const sums = new Map<string, { itemId: string; warehouseId: string; q: Decimal }>();
  for (const r of rows) {
    const k = `${r.item_id}|${r.warehouse_id}`;
    const acc = sums.get(k) ?? { itemId: r.item_id, warehouseId: r.warehouse_id, q: new Decimal(0) };
    acc.q = acc.q.plus(dec(r.quantity));
    sums.set(k, acc);
  }
  for (const s of sums.values()) await addStock(tx, schema, s, new Decimal(0), s.q.neg());
  return { released: rows.length };
}

/** The source type of a reservation (null when there is none with this id). */
export async function reservationSourceType(
  tx: Executor,
  schema: string,
  id: string,
): Promise<string | null> {
  const { rows } = await tx.run<{ source_type: string }>(
    sql`SELECT source_type FROM ${sql.id(schema, 'inv_reservation')} WHERE id = ${id}::uuid`,
  );
  return rows[0]?.source_type ?? null;
}

export function releaseReservations(db: Database, schema: string, input: ReleaseInput) {
  return db.transaction((tx) => releaseReservationsIn(tx, schema, input));
}
