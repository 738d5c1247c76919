/**
 * Declared actions of `stock_move`: `post` writes its lines to the ledger (the record id is the
 * move id, the idempotency key `stock_move:<id>`), `cancel` posts the reversing move.
 */
import { AppError } from '@tenon/core';
import { sql } from '@tenon/db';
import { type ActionRegistry, updateRecordIn } from '@tenon/design';
import type { MoveType } from '../domain/plan-move.ts';
import { InventoryErrors } from '../errors.ts';
import { postStockMoveIn } from '../services/post-stock-move.service.ts';
import { reverseStockMoveIn } from '../services/reverse-stock-move.service.ts';
import { today } from './today.ts';

type LineRow = {
  item: string;
  from_location: string | null;
  to_location: string | null;
  lot: string | null;
  serial: string | null;
  quantity: string;
  uom: string | null;
  unit_cost: string | null;
};

export function registerStockMoveActions(registry: ActionRegistry): void {
  registry.register('stock_move', 'post', async ({ tx, ctx, entity, record }) => {
    if (record.status !== 'draft')
      throw new AppError(InventoryErrors.INVENTORY_MOVE_NOT_DRAFT, { status: String(record.status) });
    const schema = entity.tenant.schemaName;
    const { rows } = await tx.run<LineRow>(
      sql`SELECT item, from_location, to_location, lot, serial, quantity::text AS quantity, uom, unit_cost::text AS unit_cost
          FROM ${sql.id(schema, 'stock_move_line')} WHERE parent_id = ${record.id as string}::uuid ORDER BY line_no`,
    );
    await postStockMoveIn(tx, schema, {
      moveId: record.id as string,
      idempotencyKey: `stock_move:${record.id as string}`,
      moveType: record.move_type as MoveType,
      warehouse: record.warehouse as string,
      postingDate: record.posting_date as string,
      sourceType: (record.source_type as string | null) ?? 'stock_move',
      sourceId: (record.source_id as string | null) ?? (record.id as string),
      lines: rows.map((r) => ({
        item: r.item,
        fromLocation: r.from_location,
        toLocation: r.to_location,
        lot: r.lot,
        serial: r.serial,
        quantity: r.quantity,
        uom: r.uom,
        unitCost: r.unit_cost,
      })),
    });
    return updateRecordIn(tx, ctx, entity, {
      id: record.id as string,
      patch: { status: 'posted' },
      expectedVersion: null,
    });
  });

  registry.register('stock_move', 'cancel', async ({ tx, ctx, entity, record }) => {
    if (record.status !== 'posted')
      throw new AppError(InventoryErrors.INVENTORY_MOVE_NOT_POSTED, { status: String(record.status) });
    await reverseStockMoveIn(tx, entity.tenant.schemaName, {
      moveId: record.id as string,
      postingDate: today(ctx.clock, entity),
    });
    return updateRecordIn(tx, ctx, entity, {
      id: record.id as string,
      patch: { status: 'cancelled' },
      expectedVersion: null,
    });
  });
}
