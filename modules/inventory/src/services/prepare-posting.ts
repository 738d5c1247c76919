/**
 * The checking half of a single posting, shared by the one-posting path (postStockMoveIn) and
 * combined postings (post-moves-combined.ts): the input's ids, units converted to base units,
 * the lines planned into location deltas, lots and serials of their items, locations in the move's
 * warehouse (or, for a transfer's arrival, another warehouse of the same company), reservations
 * consumed; the result is what `writePostings` applies.
 */
import { AppError, Decimal, isUuid, newId, parseDecimal } from '@tenon/core';
import type { Executor } from '@tenon/db';
import { toBaseUnit } from '../domain/convert-uom.ts';
import { type MoveLineInput, planMove } from '../domain/plan-move.ts';
import { InventoryErrors } from '../errors.ts';
import {
  checkTracking,
  type ItemRow,
  type LocationRow,
  loadConversions,
  loadWarehouse,
  type WarehouseRow,
} from '../repositories/master-data.repository.ts';
import { lockStock } from '../repositories/stock.repository.ts';
import type { ValuedDelta } from './apply-deltas.ts';
import type { PostingWrite } from './apply-posting.ts';
import type { PostMoveInput } from './post-stock-move.service.ts';
import { consumeReservation } from './reservation-helpers.ts';

const bad = (field: string, reason: string) =>
  new AppError(InventoryErrors.INVENTORY_BAD_INPUT, { field, reason });
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function checkIds(input: PostMoveInput): void {
  if (
    typeof input.idempotencyKey !== 'string' ||
    input.idempotencyKey.length === 0 ||
    input.idempotencyKey.length > 200
  ) {
    throw bad('idempotencyKey', 'must be 1-200 characters');
  }
  if (!isUuid(input.warehouse)) throw bad('warehouse', 'must be an id');
  if (typeof input.postingDate !== 'string' || !DATE.test(input.postingDate))
    throw bad('postingDate', 'must be YYYY-MM-DD');
  if (!Array.isArray(input.lines)) throw bad('lines', 'must be a list');
  input.lines.forEach((l, i) => {
    for (const f of ['item', 'fromLocation', 'toLocation', 'lot', 'serial', 'reservation', 'uom'] as const) {
      const v = l[f];
      if ((f === 'item' || (v !== null && v !== undefined)) && !isUuid(v))
        throw bad(`lines.${i + 1}.${f}`, 'must be an id');
    }
    if (!parseDecimal(l.quantity)) throw bad(`lines.${i + 1}.quantity`, 'must be a decimal string');
    if (
      l.unitCost !== null &&
      l.unitCost !== undefined &&
      (!parseDecimal(l.unitCost) || parseDecimal(l.unitCost)!.isNegative())
    ) {
      throw bad(`lines.${i + 1}.unitCost`, 'must be a non-negative decimal string');
    }
  });
}

/** The master data a posting reads: its warehouse, items and locations. */
export function factKeys(input: PostMoveInput) {
  return {
    warehouse: input.warehouse,
    items: input.lines.map((l) => l.item),
    locations: input.lines.flatMap((l) =>
      [l.fromLocation, l.toLocation].filter((x): x is string => Boolean(x)),
    ),
  };
}

export type PostingFacts = {
  warehouse: WarehouseRow;
  items: Map<string, ItemRow>;
  locations: Map<string, LocationRow>;
};

/** Checks a claimed posting against its master data and plans what it writes. */
export async function preparePosting(
  tx: Executor,
  schema: string,
  k: { input: PostMoveInput; moveId: string; facts: PostingFacts },
): Promise<PostingWrite> {
  const { warehouse, items, locations } = k.facts;
  const input = await inBaseUnits(tx, schema, k.input, items);
  const lines: MoveLineInput[] = input.lines.map((l, i) => ({
    lineNo: i + 1,
    item: items.get(l.item)!,
    from: l.fromLocation ?? null,
    to: l.toLocation ?? null,
    lot: l.lot ?? null,
    serial: l.serial ?? null,
    quantity: new Decimal(l.quantity),
  }));
  const planned = planMove(input.moveType, lines);
  await checkTracking(
    tx,
    schema,
    lines.map((l) => ({ lineNo: l.lineNo, itemId: l.item.id, lot: l.lot, serial: l.serial })),
  );
  const warehouses = new Map([[warehouse.id, warehouse]]);
  for (const d of planned) {
    const loc = locations.get(d.locationId)!;
    const sameWarehouse = loc.warehouseId === warehouse.id;
    if (!sameWarehouse && !(input.moveType === 'transfer' && d.direction === 'in')) {
      throw new AppError(InventoryErrors.INVENTORY_INVALID_MOVE, {
        line: d.lineNo,
        reason: 'location is not in the move warehouse',
      });
    }
    if (!warehouses.has(loc.warehouseId))
      warehouses.set(loc.warehouseId, await loadWarehouse(tx, schema, loc.warehouseId));
    if (warehouses.get(loc.warehouseId)!.companyId !== warehouse.companyId) {
      throw new AppError(InventoryErrors.INVENTORY_INVALID_MOVE, {
        line: d.lineNo,
        reason: 'a transfer stays inside one company',
      });
    }
  }
  const deltas: ValuedDelta[] = planned.map((d) => ({
    lineNo: d.lineNo,
    itemId: d.itemId,
    warehouseId: locations.get(d.locationId)!.warehouseId,
    companyId: warehouse.companyId,
    locationId: d.locationId,
    lotId: d.lotId,
    serialId: d.serialId,
    quantity: d.quantity,
    value: new Decimal(0),
  }));
  // Stock rows are locked before reservation rows, as the reservation services do.
  if (input.lines.some((l) => l.reservation)) await lockStock(tx, schema, deltas);
  for (const [i, l] of input.lines.entries()) {
    if (!l.reservation) continue;
    const out = deltas.find((d) => d.lineNo === i + 1 && d.quantity.isNegative());
    if (!out)
      throw new AppError(InventoryErrors.INVENTORY_INVALID_MOVE, {
        line: i + 1,
        reason: 'only an outgoing line fulfils a reservation',
      });
    out.reservedConsumed = await consumeReservation(tx, schema, l.reservation, out.itemId);
  }
  return {
    header: {
      moveId: k.moveId,
      moveType: input.moveType,
      postingDate: input.postingDate,
      sourceType: input.sourceType ?? null,
      sourceId: input.sourceId ?? null,
    },
    deltas,
    items,
    unitCost: (lineNo) => input.lines[lineNo - 1]!.unitCost ?? null,
    allowNegative: (id) => warehouses.get(id)?.allowNegative ?? false,
    // A transfer inside one company is value-neutral.
    valued: input.moveType !== 'transfer',
    event: {
      topic: 'inventory.stock_move.posted',
      moveId: k.moveId,
      payload: {
        moveType: input.moveType,
        warehouse: warehouse.id,
        postingDate: input.postingDate,
        lines: deltas.map((d) => ({
          item: d.itemId,
          location: d.locationId,
          quantity: d.quantity.toFixed(),
        })),
      },
    },
    revaluations: input.moveType === 'transfer' ? [] : revaluationKeys(deltas, input.postingDate),
  };
}

/** One revaluation key per item and company of the move, in key order. */
function revaluationKeys(deltas: ValuedDelta[], fromDate: string) {
  return [...new Map(deltas.map((d) => [`${d.itemId}|${d.companyId}`, d])).values()]
    .sort((a, b) => (a.itemId < b.itemId ? -1 : 1))
    .map((d) => ({ id: newId(), itemId: d.itemId, companyId: d.companyId, fromDate }));
}

/** Lines entered in another unit of their item, converted to base units (quantity and unit cost). */
export async function inBaseUnits(
  tx: Executor,
  schema: string,
  input: PostMoveInput,
  items: Map<string, ItemRow>,
): Promise<PostMoveInput> {
  const foreign = input.lines.filter((l) => l.uom && l.uom !== items.get(l.item)!.baseUom);
  if (foreign.length === 0) return input;
  const conversions = await loadConversions(tx, schema, {
    items: foreign.map((l) => l.item),
    uoms: foreign.map((l) => l.uom!),
  });
  const lines = input.lines.map((l, i) => {
    const item = items.get(l.item)!;
    if (!l.uom || l.uom === item.baseUom) return l;
    const base = toBaseUnit(
      {
        lineNo: i + 1,
        itemId: l.item,
        uom: l.uom,
        quantity: new Decimal(l.quantity),
        unitCost: l.unitCost ? new Decimal(l.unitCost) : null,
      },
      { uom: item.baseUom, precision: item.basePrecision },
      conversions,
    );
    return { ...l, uom: null, quantity: base.quantity.toFixed(), unitCost: base.unitCost?.toFixed() ?? null };
  });
  return { ...input, lines };
}
