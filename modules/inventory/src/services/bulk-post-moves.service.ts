/**
 * Bulk import of receipts and issues: moves are posted in batches, each batch one transaction with
 * one statement per table (keys claimed, rows locked in key order, balances, stock, valuation and
 * layers updated, ledger appended, one outbox event). A refused move refuses its whole batch
 * (earlier batches stay posted; idempotency keys make a re-run skip them). Moves are applied in
 * posting-date order; a batch dated before existing entries queues their revaluation.
 */
import { AppError, Decimal, newId } from '@tenon/core';
import { type Database, type Executor, sql } from '@tenon/db';
import { lockOrder, type MoveLineInput, planMove } from '../domain/plan-move.ts';
import { type BatchValuation, valuationWrites, valueDelta } from '../domain/value-batch.ts';
import { InventoryErrors } from '../errors.ts';
import {
  addBalanceRows,
  addStockRows,
  addValuationRows,
  claimKeys,
  enqueueRevaluations,
  insertLayerRows,
  insertLedgerRows,
  lockBalanceRows,
  lockStockRows,
  lockValuationRows,
  openLayersOf,
  setLayerRemainders,
  trackingOwners,
} from '../repositories/bulk-stock.repository.ts';
import {
  loadItems,
  loadLocations,
  loadWarehouse,
  type WarehouseRow,
} from '../repositories/master-data.repository.ts';
import { dec, enqueueEvent, type LedgerRow, orNil } from '../repositories/stock.repository.ts';
import { checkIds, inBaseUnits, type PostMoveInput } from './post-stock-move.service.ts';
import { runRevaluations } from './revalue-stock.service.ts';

export type BulkMove = Omit<PostMoveInput, 'moveId' | 'inlineRevaluation'> & {
  moveType: 'receipt' | 'issue';
};
export type BulkResult = { posted: number; replayed: number; batches: number; revaluations: number };

const MAX_BATCH = 5000;
/** Moves imported in one call after which the ledger's planner statistics are refreshed. */
const ANALYZE_AFTER = 20_000;
const isUniqueOrCheck = (err: unknown) => ['23505', '23514'].includes((err as { code?: string })?.code ?? '');

type Valuation = BatchValuation;

export async function bulkPostMoves(
  db: Database,
  schema: string,
  input: { moves: BulkMove[]; batchSize?: number; revalue?: boolean },
): Promise<BulkResult> {
  const size = Math.min(Math.max(input.batchSize ?? 2000, 1), MAX_BATCH);
  input.moves.forEach((m, i) => {
    if (m.moveType !== 'receipt' && m.moveType !== 'issue')
      throw new AppError(InventoryErrors.INVENTORY_BAD_INPUT, {
        field: `moves.${i}.moveType`,
        reason: 'must be receipt or issue',
      });
    if (m.lines?.some((l) => l.reservation))
      throw new AppError(InventoryErrors.INVENTORY_BAD_INPUT, {
        field: `moves.${i}.lines`,
        reason: 'a bulk issue does not consume reservations',
      });
  });
  const ordered = input.moves
    .map((m, i) => ({ m, i }))
    .sort((a, b) => a.m.postingDate.localeCompare(b.m.postingDate) || a.i - b.i);
  const result: BulkResult = { posted: 0, replayed: 0, batches: 0, revaluations: 0 };
  const jobs: string[] = [];
  for (let start = 0; start < ordered.length; start += size) {
    const batch = ordered.slice(start, start + size);
    const r = await db.transaction((tx) => postBatch(tx, schema, batch));
    result.posted += r.posted;
    result.replayed += batch.length - r.posted;
    result.batches++;
    jobs.push(...r.jobs);
  }
  // A large import changes the ledger's statistics at once: refresh them now rather than when
  // autovacuum gets to it, so that reports over the ledger are planned for its real size.
  if (result.posted >= ANALYZE_AFTER)
    await db.run(sql`ANALYZE ${sql.id(schema, 'inv_ledger')}, ${sql.id(schema, 'inv_layer')}`);
  const unique = [...new Set(jobs)];
  result.revaluations = unique.length;
  if (unique.length > 0 && input.revalue !== false) await runRevaluations(db, schema, { jobs: unique });
  return result;
}

async function postBatch(tx: Executor, schema: string, batch: { m: BulkMove; i: number }[]) {
  for (const { m, i } of batch) refer(i, () => checkIds(m));
  const withIds = batch.map((b) => ({ ...b, moveId: newId() }));
  const fresh = await claimKeys(
    tx,
    schema,
    withIds.map((b) => ({ moveId: b.moveId, key: b.m.idempotencyKey, moveType: b.m.moveType })),
  );
  const seen = new Set<string>();
  const todo = withIds.filter(
    (b) => fresh.has(b.m.idempotencyKey) && !seen.has(b.m.idempotencyKey) && seen.add(b.m.idempotencyKey),
  );
  if (todo.length === 0) return { posted: 0, jobs: [] };

  const items = await loadItems(
    tx,
    schema,
    todo.flatMap((b) => b.m.lines.map((l) => l.item)),
  );
  const moves = [];
  for (const b of todo)
    moves.push({ ...b, m: (await inBaseUnits(tx, schema, b.m as PostMoveInput, items)) as BulkMove });
  const locations = await loadLocations(
    tx,
    schema,
    moves.flatMap((b) =>
      b.m.lines.flatMap((l) => [l.fromLocation, l.toLocation].filter((x): x is string => Boolean(x))),
    ),
  );
  const warehouses = new Map<string, WarehouseRow>();
  for (const w of new Set(moves.map((b) => b.m.warehouse)))
    warehouses.set(w, await loadWarehouse(tx, schema, w));
  const lines = moves.flatMap((b) => b.m.lines);
  const owners = await trackingOwners(
    tx,
    schema,
    [...new Set(lines.flatMap((l) => (l.lot ? [l.lot] : [])))],
    [...new Set(lines.flatMap((l) => (l.serial ? [l.serial] : [])))],
  );

  // Plan every move (pure checks), then lock what they touch in key order.
  const planned = moves.map((b) =>
    refer(b.i, () => {
      const input: MoveLineInput[] = b.m.lines.map((l, n) => {
        for (const id of [l.lot, l.serial])
          if (id && owners.get(id) !== l.item)
            throw new AppError(InventoryErrors.INVENTORY_NOT_FOUND, {
              what: 'lot or serial of this item',
              id,
            });
        return {
          lineNo: n + 1,
          item: items.get(l.item)!,
          from: l.fromLocation ?? null,
          to: l.toLocation ?? null,
          lot: l.lot ?? null,
          serial: l.serial ?? null,
          quantity: new Decimal(l.quantity),
        };
      });
      const wh = warehouses.get(b.m.warehouse)!;
      return planMove(b.m.moveType, input).map((d) => {
        if (locations.get(d.locationId)!.warehouseId !== wh.id)
          throw new AppError(InventoryErrors.INVENTORY_INVALID_MOVE, {
            line: d.lineNo,
            reason: 'location is not in the move warehouse',
          });
        return {
          ...d,
          warehouseId: wh.id,
          companyId: wh.companyId,
          unitCost: b.m.lines[d.lineNo - 1]!.unitCost ?? null,
        };
      });
    }),
  );
  const all = planned.flat();
  const stockKeys = [...new Map(all.map((d) => [`${d.itemId}|${d.warehouseId}`, d])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, d]) => d);
  const stock = await lockStockRows(tx, schema, stockKeys);
  const balances = await lockBalanceRows(tx, schema, lockOrder(all));
  const valKeys = [...new Map(all.map((d) => [`${d.itemId}|${d.companyId}`, d])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, d]) => d);
  const valuations = await lockValuationRows(tx, schema, valKeys);
  // FIFO issues read only the layers they can reach (receipts add theirs after the open ones).
  const needs = new Map<string, { itemId: string; companyId: string; q: Decimal }>();
  for (const d of all)
    if (d.quantity.isNegative() && items.get(d.itemId)!.valuationMethod === 'fifo') {
      const k = `${d.itemId}|${d.companyId}`;
      const n = needs.get(k) ?? { itemId: d.itemId, companyId: d.companyId, q: new Decimal(0) };
      n.q = n.q.minus(d.quantity);
      needs.set(k, n);
    }
  const state = new Map<string, Valuation>();
  for (const [k, v] of valuations) state.set(k, { quantity: v.quantity, value: v.value, layers: [] });
  const reach = [...needs.values()].map((n) => ({
    itemId: n.itemId,
    companyId: n.companyId,
    quantity: n.q.toFixed(),
  }));
  for (const l of reach.length > 0 ? await openLayersOf(tx, schema, reach) : [])
    state.get(`${l.item_id}|${l.company_id}`)?.layers.push({
      seq: l.seq,
      remaining: dec(l.remaining),
      remainingValue: dec(l.remaining_value),
      unitCost: dec(l.unit_cost),
      touched: false,
    });

  const ledger: LedgerRow[] = [];
  const balanceDelta = new Map<string, { key: (typeof all)[number]; delta: Decimal }>();
  const stockDelta = new Map<string, { itemId: string; warehouseId: string; onHand: Decimal }>();
  for (const [n, b] of moves.entries()) {
    refer(b.i, () => {
      for (const d of planned[n]!) {
        const bk = `${d.itemId}|${d.locationId}|${orNil(d.lotId)}|${orNil(d.serialId)}`;
        const next = balances.get(bk)!.plus(d.quantity);
        const wh = warehouses.get(d.warehouseId)!;
        if (next.isNegative() && (d.serialId || !wh.allowNegative)) {
          throw d.serialId
            ? new AppError(InventoryErrors.INVENTORY_SERIAL_UNAVAILABLE, { serial: d.serialId })
            : new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_STOCK, {
                item: d.itemId,
                location: d.locationId,
                onHand: next.minus(d.quantity).toFixed(),
                needed: d.quantity.neg().toFixed(),
              });
        }
        balances.set(bk, next);
        const s = stock.get(`${d.itemId}|${d.warehouseId}`)!;
        if (d.quantity.isNegative() && s.onHand.plus(d.quantity).lt(s.reserved) && !wh.allowNegative)
          throw new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_AVAILABLE, {
            item: d.itemId,
            available: Decimal.max(s.onHand.minus(s.reserved), 0).toFixed(),
            requested: d.quantity.neg().toFixed(),
          });
        s.onHand = s.onHand.plus(d.quantity);
        const value = valueDelta(state.get(`${d.itemId}|${d.companyId}`)!, items.get(d.itemId)!, d, {
          moveId: b.moveId,
          postingDate: b.m.postingDate,
        });
        const bd = balanceDelta.get(bk) ?? { key: d, delta: new Decimal(0) };
        bd.delta = bd.delta.plus(d.quantity);
        balanceDelta.set(bk, bd);
        const sd = stockDelta.get(`${d.itemId}|${d.warehouseId}`) ?? {
          itemId: d.itemId,
          warehouseId: d.warehouseId,
          onHand: new Decimal(0),
        };
        sd.onHand = sd.onHand.plus(d.quantity);
        stockDelta.set(`${d.itemId}|${d.warehouseId}`, sd);
        ledger.push({
          moveId: b.moveId,
          lineNo: d.lineNo,
          moveType: b.m.moveType,
          itemId: d.itemId,
          warehouseId: d.warehouseId,
          companyId: d.companyId,
          locationId: d.locationId,
          lotId: d.lotId,
          serialId: d.serialId,
          quantity: d.quantity,
          value,
          postingDate: b.m.postingDate,
          sourceType: b.m.sourceType ?? null,
          sourceId: b.m.sourceId ?? null,
        });
      }
    });
  }

  // Back-dated against what was already posted: queue revaluation (checked before the append).
  const firstDate = new Map<string, { id: string; itemId: string; companyId: string; fromDate: string }>();
  for (const r of ledger)
    if (!firstDate.has(`${r.itemId}|${r.companyId}`))
      firstDate.set(`${r.itemId}|${r.companyId}`, {
        id: newId(),
        itemId: r.itemId,
        companyId: r.companyId,
        fromDate: r.postingDate,
      });
  const jobs = await enqueueRevaluations(tx, schema, [...firstDate.values()]);
  try {
    await addBalanceRows(
      tx,
      schema,
      [...balanceDelta.values()].map((b) => ({ key: b.key, delta: b.delta.toFixed() })),
    );
  } catch (err) {
    if (isUniqueOrCheck(err))
      throw new AppError(InventoryErrors.INVENTORY_SERIAL_UNAVAILABLE, {
        serial: all.find((d) => d.serialId)?.serialId ?? '',
      });
    throw err;
  }
  await addStockRows(
    tx,
    schema,
    [...stockDelta.values()].map((s) => ({ ...s, onHand: s.onHand.toFixed() })),
  );
  await writeValuation(tx, schema, state, valuations);
  await insertLedgerRows(tx, schema, ledger);
  await enqueueEvent(tx, schema, 'inventory.stock_move.bulk_posted', moves[0]!.moveId, {
    moves: moves.map((b) => b.moveId),
    lines: ledger.length,
  });
  return { posted: moves.length, jobs };
}

async function writeValuation(
  tx: Executor,
  schema: string,
  state: Map<string, Valuation>,
  before: Map<string, { quantity: Decimal; value: Decimal }>,
) {
  const writes = valuationWrites(state, before);
  await addValuationRows(tx, schema, writes.valuations);
  await setLayerRemainders(tx, schema, writes.remainders);
  await insertLayerRows(tx, schema, writes.created);
}

/** Runs `f`; a refusal names the move (its index in the input) in the error's details. */
function refer<T>(index: number, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof AppError)
      throw new AppError(err.code, err.params, [
        { field: `moves.${index}`, code: err.code, message: err.message },
        ...err.details,
      ]);
    throw err;
  }
}
