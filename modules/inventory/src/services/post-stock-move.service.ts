/**
 * Posting a stock move: one transaction that claims the idempotency key, checks the lines, locks
 * the balance rows in key order, values the stock (FIFO layers or moving average per item and
 * company), appends the ledger, updates balances and writes the outbox event.
 */
import { AppError, Decimal, isUuid, newId, parseDecimal } from '@tenon/core';
import { type Database, type Executor, sql } from '@tenon/db';
import { toBaseUnit } from '../domain/convert-uom.ts';
import { type MoveLineInput, type MoveType, planMove } from '../domain/plan-move.ts';
import { averageCost, issueAverage, issueFifo, receiptValue } from '../domain/valuation.ts';
import { InventoryErrors } from '../errors.ts';
import { appendPosting } from '../repositories/bulk-stock.repository.ts';
import {
  checkTracking,
  type ItemRow,
  loadConversions,
  type loadItems,
  loadPostingFacts,
  loadWarehouse,
} from '../repositories/master-data.repository.ts';
import {
  addValuation,
  insertLayer,
  lockStock,
  lockValuation,
  openLayers,
  takeFromLayer,
} from '../repositories/stock.repository.ts';
import { applyDeltas, type ValuedDelta } from './apply-deltas.ts';
import { consumeReservation } from './reservation-helpers.ts';
import { DEFAULT_CHUNK, revalueChunkIn, runRevaluations } from './revalue-stock.service.ts';

export type PostMoveLine = {
  item: string;
  fromLocation?: string | null;
  toLocation?: string | null;
  lot?: string | null;
  serial?: string | null;
  /** Quantity as a decimal string, in `uom` (default: the item's base unit). */
  quantity: string;
  /** The unit the quantity and unit cost are entered in; converted to the base unit at posting. */
  uom?: string | null;
  unitCost?: string | null;
  /** An active reservation this outgoing line fulfils. */
  reservation?: string | null;
};

export type PostMoveInput = {
  moveId?: string;
  idempotencyKey: string;
  moveType: MoveType;
  warehouse: string;
  postingDate: string;
  sourceType?: string | null;
  sourceId?: string | null;
  lines: PostMoveLine[];
  /**
   * Entries re-costed inside the posting's own transaction when it is back-dated (default
   * DEFAULT_CHUNK); 0 leaves the whole revaluation to `runRevaluations`.
   */
  inlineRevaluation?: number;
};

/** `revaluations`: jobs of this back-dated posting still pending after the inline chunk. */
export type PostMoveResult = { moveId: string; replayed: boolean; revaluations?: string[] };

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

export async function postStockMoveIn(
  tx: Executor,
  schema: string,
  entered: PostMoveInput,
): Promise<PostMoveResult> {
  checkIds(entered);
  let input = entered;
  const moveId = input.moveId ?? newId();
  const claimed = await tx.run<{ move_id: string }>(
    sql`INSERT INTO ${sql.id(schema, 'inv_posting')} (move_id, idempotency_key, move_type)
        VALUES (${moveId}, ${input.idempotencyKey}, ${input.moveType})
        ON CONFLICT (idempotency_key) DO NOTHING RETURNING move_id`,
  );
  if (claimed.rows.length === 0) {
    const { rows } = await tx.run<{ move_id: string; move_type: string }>(
      sql`SELECT move_id, move_type FROM ${sql.id(schema, 'inv_posting')} WHERE idempotency_key = ${input.idempotencyKey}`,
    );
    const prior = rows[0];
    if (!prior || prior.move_type !== input.moveType || (input.moveId && input.moveId !== prior.move_id)) {
      throw new AppError(InventoryErrors.INVENTORY_IDEMPOTENCY_CONFLICT, { key: input.idempotencyKey });
    }
    return { moveId: prior.move_id, replayed: true };
  }
  const facts = await loadPostingFacts(tx, schema, {
    warehouse: input.warehouse,
    items: input.lines.map((l) => l.item),
    locations: input.lines.flatMap((l) =>
      [l.fromLocation, l.toLocation].filter((x): x is string => Boolean(x)),
    ),
  });
  const { warehouse, items, locations } = facts;
  input = await inBaseUnits(tx, schema, input, items);
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
  const company = warehouse.companyId;
  const deltas: ValuedDelta[] = planned.map((d) => ({
    lineNo: d.lineNo,
    itemId: d.itemId,
    warehouseId: locations.get(d.locationId)!.warehouseId,
    companyId: company,
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
  const ledger = await applyDeltas(tx, schema, {
    append: false,
    header: {
      moveId,
      moveType: input.moveType,
      postingDate: input.postingDate,
      sourceType: input.sourceType ?? null,
      sourceId: input.sourceId ?? null,
    },
    deltas,
    allowNegative: (id) => warehouses.get(id)?.allowNegative ?? false,
    respectReservations: true,
    // Per item in key order; a transfer inside one company is value-neutral.
    valuate: async () => {
      if (input.moveType !== 'transfer')
        await valueDeltas(tx, schema, { deltas, items, moveId, postingDate: input.postingDate, input });
    },
  });
  // Ledger, event and the back-dated check in one statement; then the first revaluation chunk.
  const jobs = await appendPosting(tx, schema, {
    ledger,
    event: {
      topic: 'inventory.stock_move.posted',
      moveId,
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
  });
  const revaluations = await revalueInline(tx, schema, jobs, input.inlineRevaluation ?? DEFAULT_CHUNK);
  return { moveId, replayed: false, ...(revaluations.length > 0 ? { revaluations } : {}) };
}

/** One revaluation key per item and company of the move, in key order. */
function revaluationKeys(deltas: ValuedDelta[], fromDate: string) {
  return [...new Map(deltas.map((d) => [`${d.itemId}|${d.companyId}`, d])).values()]
    .sort((a, b) => (a.itemId < b.itemId ? -1 : 1))
    .map((d) => ({ id: newId(), itemId: d.itemId, companyId: d.companyId, fromDate }));
}

/** Entries dated after this posting are re-costed: each job's first chunk runs right here. */
async function revalueInline(tx: Executor, schema: string, jobs: string[], chunk: number): Promise<string[]> {
  const pending: string[] = [];
  for (const job of jobs)
    if (chunk === 0 || (await revalueChunkIn(tx, schema, job, chunk)) === 'more') pending.push(job);
  return pending;
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

async function valueDeltas(
  tx: Executor,
  schema: string,
  k: {
    deltas: ValuedDelta[];
    items: Awaited<ReturnType<typeof loadItems>>;
    moveId: string;
    postingDate: string;
    input: PostMoveInput;
  },
): Promise<void> {
  const order = [...k.deltas].sort((a, b) =>
    a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : a.lineNo - b.lineNo,
  );
  for (const d of order) {
    const item = k.items.get(d.itemId)!;
    const current = await lockValuation(tx, schema, d.itemId, d.companyId);
    const fallback = averageCost(current) ?? item.standardCost ?? new Decimal(0);
    const qty = d.quantity.abs();
    let value: Decimal;
    if (d.quantity.gt(0)) {
      const given = k.input.lines[d.lineNo - 1]!.unitCost;
      const unitCost = given ? new Decimal(given) : fallback;
      value = receiptValue(qty, unitCost);
      if (item.valuationMethod === 'fifo') {
        await insertLayer(tx, schema, {
          itemId: d.itemId,
          companyId: d.companyId,
          moveId: k.moveId,
          postingDate: k.postingDate,
          quantity: qty,
          value,
          unitCost,
        });
      }
    } else if (item.valuationMethod === 'fifo') {
      const issue = issueFifo(await openLayers(tx, schema, d.itemId, d.companyId), qty, fallback);
      for (const take of issue.takes) await takeFromLayer(tx, schema, take.seq, take.quantity, take.value);
      if (issue.shortfall.gt(0)) {
        await insertLayer(tx, schema, {
          itemId: d.itemId,
          companyId: d.companyId,
          moveId: k.moveId,
          postingDate: k.postingDate,
          quantity: issue.shortfall.neg(),
          value: issue.shortfallValue.neg(),
          unitCost: issue.shortfall.gt(0) ? issue.shortfallValue.dividedBy(issue.shortfall) : fallback,
        });
      }
      value = issue.value.neg();
    } else {
      value = issueAverage(current, qty, fallback).neg();
    }
    d.value = value;
    await addValuation(tx, schema, { itemId: d.itemId, companyId: d.companyId, quantity: d.quantity, value });
  }
}

/** Posts in its own transaction (retried after deadlocks and serialization failures). */
export async function postStockMove(
  db: Database,
  schema: string,
  input: PostMoveInput,
): Promise<PostMoveResult> {
  const result = await db.transaction((tx) => postStockMoveIn(tx, schema, input));
  // A long revaluation goes on after the commit, chunk by chunk (resumable if stopped).
  if (result.revaluations && input.inlineRevaluation !== 0)
    await runRevaluations(db, schema, { jobs: result.revaluations });
  return result;
}
