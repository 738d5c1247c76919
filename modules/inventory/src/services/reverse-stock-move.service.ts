/**
 * Cancelling a posted move posts its reversing move: every ledger row negated (quantity and value),
 * FIFO layers restored (a receipt's layer shrinks back, an issue's value comes back as a new layer),
 * moving averages adjusted. Each move is reversed at most once (unique index on `reverses`).
 */
import { AppError, Decimal, newId } from '@tenon/core';
import { type Database, type Executor, sql } from '@tenon/db';
import { InventoryErrors } from '../errors.ts';
import { NIL } from '../migrations.ts';
import { loadItems, loadWarehouse } from '../repositories/master-data.repository.ts';
import {
  addValuation,
  dec,
  enqueueEvent,
  insertLayer,
  lockValuation,
  takeFromLayer,
} from '../repositories/stock.repository.ts';
import { applyDeltas, type ValuedDelta } from './apply-deltas.ts';

type Row = {
  line_no: number;
  move_type: string;
  item_id: string;
  warehouse_id: string;
  company_id: string;
  location_id: string;
  lot_id: string;
  serial_id: string;
  quantity: string;
  value: string;
  source_type: string | null;
  source_id: string | null;
};

export async function reverseStockMoveIn(
  tx: Executor,
  schema: string,
  input: { moveId: string; postingDate: string },
): Promise<{ reversalId: string }> {
  const reversalId = newId();
  const claimed = await tx.run(
    sql`INSERT INTO ${sql.id(schema, 'inv_posting')} (move_id, idempotency_key, move_type, reverses)
        SELECT ${reversalId}, ${`reverse:${input.moveId}`}, 'reversal', move_id FROM ${sql.id(schema, 'inv_posting')}
        WHERE move_id = ${input.moveId}::uuid AND reverses IS NULL
        ON CONFLICT DO NOTHING RETURNING move_id`,
  );
  if (claimed.rows.length === 0) {
    throw new AppError(InventoryErrors.INVENTORY_MOVE_NOT_POSTED, {
      status: 'not posted or already reversed',
    });
  }
  const { rows } = await tx.run<Row>(
    // A row's value includes the corrections revaluations appended for it.
    sql`SELECT line_no, move_type, item_id, warehouse_id, company_id, location_id, lot_id, serial_id, quantity,
          value + coalesce((SELECT sum(r.value) FROM ${sql.id(schema, 'inv_ledger')} r
            WHERE r.move_type = 'revaluation' AND r.source_id = l.seq::text), 0) AS value, source_type, source_id
        FROM ${sql.id(schema, 'inv_ledger')} l WHERE move_id = ${input.moveId}::uuid ORDER BY seq`,
  );
  const items = await loadItems(
    tx,
    schema,
    rows.map((r) => r.item_id),
  );
  const allowNegative = new Map<string, boolean>();
  for (const r of rows) {
    if (!allowNegative.has(r.warehouse_id)) {
      allowNegative.set(r.warehouse_id, (await loadWarehouse(tx, schema, r.warehouse_id)).allowNegative);
    }
  }
  const deltas: ValuedDelta[] = rows.map((r) => ({
    lineNo: r.line_no,
    itemId: r.item_id,
    warehouseId: r.warehouse_id,
    companyId: r.company_id,
    locationId: r.location_id,
    lotId: r.lot_id === NIL ? null : r.lot_id,
    serialId: r.serial_id === NIL ? null : r.serial_id,
    quantity: dec(r.quantity).neg(),
    value: dec(r.value).neg(),
  }));
  await applyDeltas(tx, schema, {
    header: {
      moveId: reversalId,
      moveType: 'reversal',
      postingDate: input.postingDate,
      sourceType: 'stock_move',
      sourceId: input.moveId,
    },
    deltas,
    allowNegative: (id) => allowNegative.get(id) ?? false,
    respectReservations: false,
    valuate: async (ds) => {
      const sorted = [...ds].sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
      for (const d of sorted) {
        if (d.value.isZero() && d.quantity.isZero()) continue;
        if (rows[0]!.move_type === 'transfer') continue;
        await lockValuation(tx, schema, d.itemId, d.companyId);
        if (items.get(d.itemId)!.valuationMethod === 'fifo')
          await restoreLayers(tx, schema, {
            d,
            originalMove: input.moveId,
            reversalId,
            postingDate: input.postingDate,
          });
        await addValuation(tx, schema, {
          itemId: d.itemId,
          companyId: d.companyId,
          quantity: d.quantity,
          value: d.value,
        });
      }
    },
  });
  await enqueueEvent(tx, schema, 'inventory.stock_move.reversed', input.moveId, { reversal: reversalId });
  return { reversalId };
}

async function restoreLayers(
  tx: Executor,
  schema: string,
  k: { d: ValuedDelta; originalMove: string; reversalId: string; postingDate: string },
): Promise<void> {
  const { d } = k;
  if (d.quantity.isNegative()) {
    // Undoing an incoming row: its layer must still hold the quantity.
    const { rows } = await tx.run<{ seq: string; remaining: string; remaining_value: string }>(
      sql`SELECT seq::text AS seq, remaining, remaining_value FROM ${sql.id(schema, 'inv_layer')}
          WHERE move_id = ${k.originalMove}::uuid AND item_id = ${d.itemId}::uuid AND quantity > 0
          ORDER BY seq::bigint FOR UPDATE`,
    );
    const layer = rows.find((r) => dec(r.remaining).gte(d.quantity.neg()));
    if (!layer) throw new AppError(InventoryErrors.INVENTORY_REVERSAL_CONSUMED);
    await takeFromLayer(tx, schema, layer.seq, d.quantity.neg(), d.value.neg());
    return;
  }
  // Undoing an outgoing row: what left at its value comes back as a layer at that unit cost.
  await insertLayer(tx, schema, {
    itemId: d.itemId,
    companyId: d.companyId,
    moveId: k.reversalId,
    postingDate: k.postingDate,
    quantity: d.quantity,
    value: d.value,
    unitCost: d.quantity.isZero() ? new Decimal(0) : d.value.dividedBy(d.quantity).toDecimalPlaces(9),
  });
}

export function reverseStockMove(
  db: Database,
  schema: string,
  input: { moveId: string; postingDate: string },
) {
  return db.transaction((tx) => reverseStockMoveIn(tx, schema, input));
}
