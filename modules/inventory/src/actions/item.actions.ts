/**
 * Declared actions of `item`: `reserve` (body: warehouse, quantity, optional lot/serial, sourceType,
 * sourceId, allowPartial) and `release` (body: id, or sourceType + sourceId). The answer is the item
 * with a `reservation` member describing what was reserved or released.
 */
import { AppError } from '@tenon/core';
import type { ActionRegistry } from '@tenon/design';
import { InventoryErrors } from '../errors.ts';
import { releaseReservationsIn } from '../services/release-reservation.service.ts';
import { reserveStockIn } from '../services/reserve-stock.service.ts';
import { today } from './today.ts';

const body = (b: unknown): Record<string, unknown> => {
  if (typeof b !== 'object' || b === null || Array.isArray(b)) {
    throw new AppError(InventoryErrors.INVENTORY_BAD_INPUT, { field: 'body', reason: 'must be an object' });
  }
  return b as Record<string, unknown>;
};
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function registerItemActions(registry: ActionRegistry): void {
  registry.register('item', 'reserve', async ({ tx, ctx, entity, record, body: raw }) => {
    const b = body(raw);
    const result = await reserveStockIn(tx, entity.tenant.schemaName, {
      item: record.id as string,
      warehouse: str(b.warehouse) ?? '',
      quantity: str(b.quantity) ?? '',
      lot: str(b.lot) ?? null,
      serial: str(b.serial) ?? null,
      sourceType: str(b.sourceType) ?? '',
      sourceId: str(b.sourceId) ?? '',
      allowPartial: b.allowPartial === true,
      today: today(ctx.clock, entity),
    });
    return { ...record, reservation: result };
  });

  registry.register('item', 'release', async ({ tx, entity, record, body: raw }) => {
    const b = body(raw);
    const id = str(b.id);
    const result = await releaseReservationsIn(
      tx,
      entity.tenant.schemaName,
      id ? { id } : { sourceType: str(b.sourceType) ?? '', sourceId: str(b.sourceId) ?? '' },
    );
    return { ...record, reservation: result };
  });
}
