/** Reservation rows touched by postings: an issue that fulfils a reservation consumes it. */
import { AppError, type Decimal } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import { InventoryErrors } from '../errors.ts';
import { dec } from '../repositories/stock.repository.ts';

/** Marks the reservation fulfilled; returns its whole quantity, which leaves `reserved`. */
export async function consumeReservation(
  tx: Executor,
  schema: string,
  id: string,
  itemId: string,
): Promise<Decimal> {
  const { rows } = await tx.run<{ quantity: string }>(
    sql`UPDATE ${sql.id(schema, 'inv_reservation')} SET status = 'fulfilled', released_at = now()
        WHERE id = ${id}::uuid AND item_id = ${itemId}::uuid AND status = 'active' RETURNING quantity`,
  );
  if (!rows[0]) throw new AppError(InventoryErrors.INVENTORY_RESERVATION_NOT_ACTIVE, { id });
  return dec(rows[0].quantity);
}
