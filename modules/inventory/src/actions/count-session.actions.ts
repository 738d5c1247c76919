/**
 * Cycle count actions: `submit` freezes the book quantity and variance of every line (counters never
 * saw it), `approve` posts the variances as one adjustment (idempotency key `count:<id>`).
 */
import { AppError, Decimal } from '@tenon/core';
import { sql } from '@tenon/db';
import { type ActionRegistry, updateRecordIn } from '@tenon/design';
import { InventoryErrors } from '../errors.ts';
import { NIL } from '../migrations.ts';
import { dec } from '../repositories/stock.repository.ts';
import { type PostMoveLine, postStockMoveIn } from '../services/post-stock-move.service.ts';

type Line = {
  id: string;
  location: string;
  item: string;
  lot: string | null;
  serial: string | null;
  counted_qty: string;
  variance: string | null;
};

export function registerCountActions(registry: ActionRegistry): void {
  registry.register('count_session', 'submit', async ({ tx, ctx, entity, record }) => {
    if (record.status !== 'counting') {
      throw new AppError(InventoryErrors.INVENTORY_COUNT_WRONG_STATUS, { status: String(record.status) });
    }
    const schema = entity.tenant.schemaName;
    const { rows } = await tx.run<Line>(
      sql`SELECT id, location, item, lot, serial, counted_qty::text AS counted_qty, NULL AS variance
          FROM ${sql.id(schema, 'count_line')} WHERE parent_id = ${record.id as string}::uuid ORDER BY line_no`,
    );
    for (const line of rows) {
      const book = await tx.run<{ q: string }>(
        sql`SELECT coalesce(sum(on_hand), 0)::text AS q FROM ${sql.id(schema, 'inv_balance')}
            WHERE item_id = ${line.item}::uuid AND location_id = ${line.location}::uuid
              AND lot_id = ${line.lot ?? NIL}::uuid AND serial_id = ${line.serial ?? NIL}::uuid`,
      );
      const bookQty = dec(book.rows[0]!.q);
      await tx.run(sql`UPDATE ${sql.id(schema, 'count_line')}
        SET book_qty = ${bookQty.toFixed()}::numeric, variance = ${dec(line.counted_qty).minus(bookQty).toFixed()}::numeric
        WHERE id = ${line.id}::uuid`);
    }
    return updateRecordIn(tx, ctx, entity, {
      id: record.id as string,
      patch: { status: 'submitted' },
      expectedVersion: null,
    });
  });

  registry.register('count_session', 'approve', async ({ tx, ctx, entity, record }) => {
    if (record.status !== 'submitted') {
      throw new AppError(InventoryErrors.INVENTORY_COUNT_WRONG_STATUS, { status: String(record.status) });
    }
    const schema = entity.tenant.schemaName;
    const { rows } = await tx.run<Line>(
      sql`SELECT id, location, item, lot, serial, counted_qty::text AS counted_qty, variance::text AS variance
          FROM ${sql.id(schema, 'count_line')} WHERE parent_id = ${record.id as string}::uuid AND variance <> 0
          ORDER BY line_no`,
    );
    let moveId: string | null = null;
    if (rows.length > 0) {
      const lines: PostMoveLine[] = rows.map((r) => {
        const v = new Decimal(r.variance!);
        return {
          item: r.item,
          lot: r.lot,
          serial: r.serial,
          quantity: v.abs().toFixed(),
          ...(v.gt(0) ? { toLocation: r.location } : { fromLocation: r.location }),
        };
      });
      moveId = (
        await postStockMoveIn(tx, schema, {
          idempotencyKey: `count:${record.id as string}`,
          moveType: 'adjustment',
          warehouse: record.warehouse as string,
          postingDate: record.posting_date as string,
          sourceType: 'count_session',
          sourceId: record.id as string,
          lines,
        })
      ).moveId;
    }
    return updateRecordIn(tx, ctx, entity, {
      id: record.id as string,
      patch: { status: 'approved', adjustment_move: moveId },
      expectedVersion: null,
    });
  });
}
