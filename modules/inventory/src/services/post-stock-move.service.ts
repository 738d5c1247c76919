/**
 * Posting a stock move: one transaction that claims the idempotency key, checks the lines, locks
 * the balance rows in key order, values the stock (FIFO layers or moving average per item and
 * company), appends the ledger, updates balances and writes the outbox event.
 */
import { AppError, Decimal, isUuid, newId, parseDecimal } from '@tenon/core';
import { type Database, type Executor, sql } from '@tenon/db';
import { toBaseUnit } from '../domain/convert-uom.ts';
import { type MoveLineInput, type MoveType, planMove } from '../domain/plan-move.ts';
import { InventoryErrors } from '../errors.ts';
import { rememberFacts } from '../repositories/facts-cache.ts';
import {
  checkTracking,
  type ItemRow,
  loadConversions,
  loadWarehouse,
  parsePostingFacts,
} from '../repositories/master-data.repository.ts';
import { claimWithFacts } from '../repositories/posting.repository.ts';
import { lockStock } from '../repositories/stock.repository.ts';
import type { ValuedDelta } from './apply-deltas.ts';
import { writePosting } from './apply-posting.ts';
import { postReceiptAtOnce } from './post-receipt-at-once.ts';
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
  const locationIds = input.lines.flatMap((l) =>
    [l.fromLocation, l.toLocation].filter((x): x is string => Boolean(x)),
  );
  // The key claim and the master data in one statement.
  const claim = await claimWithFacts(tx, schema, {
    moveId,
    key: input.idempotencyKey,
    moveType: input.moveType,
    warehouse: input.warehouse,
    items: input.lines.map((l) => l.item),
    locations: locationIds,
  });
  if (!claim.claimed) {
    const { rows } = await tx.run<{ move_id: string; move_type: string }>(
      sql`SELECT move_id, move_type FROM ${sql.id(schema, 'inv_posting')} WHERE idempotency_key = ${input.idempotencyKey}`,
    );
    const prior = rows[0];
    if (!prior || prior.move_type !== input.moveType || (input.moveId && input.moveId !== prior.move_id)) {
      throw new AppError(InventoryErrors.INVENTORY_IDEMPOTENCY_CONFLICT, { key: input.idempotencyKey });
    }
    return { moveId: prior.move_id, replayed: true };
  }
  const facts = parsePostingFacts(claim.rows, {
    warehouse: input.warehouse,
    items: input.lines.map((l) => l.item),
    locations: locationIds,
  });
  rememberFacts(schema, facts);
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
  const converted = input;
  const jobs = await writePosting(tx, schema, {
    header: {
      moveId,
      moveType: input.moveType,
      postingDate: input.postingDate,
      sourceType: input.sourceType ?? null,
      sourceId: input.sourceId ?? null,
    },
    deltas,
    items,
    unitCost: (lineNo) => converted.lines[lineNo - 1]!.unitCost ?? null,
    allowNegative: (id) => warehouses.get(id)?.allowNegative ?? false,
    // A transfer inside one company is value-neutral.
    valued: input.moveType !== 'transfer',
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
  // The first revaluation chunk of a back-dated posting runs in its transaction.
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

/** Entries per chunk when a back-dated posting's revaluation goes on after its commit. */
export const CONTINUED_CHUNK = 10_000;

/** Posts in its own transaction (retried after deadlocks and serialization failures). */
export async function postStockMove(
  db: Database,
  schema: string,
  input: PostMoveInput,
): Promise<PostMoveResult> {
  // A receipt of untracked items with their costs: one statement when this process knows its
  // master data (decision 0018); its revaluation, if back-dated, runs wholly after the commit.
  const result =
    (await postReceiptAtOnce(db, schema, input)) ??
    (await db.transaction((tx) => postStockMoveIn(tx, schema, input)));
  // A long revaluation goes on after the commit in larger chunks (each chunk saves and reloads the
  // replay state, so fewer chunks cost less; resumable if stopped). Decision 0017.
  if (result.revaluations && input.inlineRevaluation !== 0)
    await runRevaluations(db, schema, { jobs: result.revaluations, chunkSize: CONTINUED_CHUNK });
  return result;
}
