/**
 * The writing half of a single posting (decision 0017), after its lines are checked: add the deltas
 * to stock and balance rows and lock the valuation rows in one statement (key order), refuse
 * negative stock in memory from the new totals (the transaction rolls back), read the FIFO layers
 * the issues can reach, value in memory with the same pure functions as bulk imports, and write
 * layers, valuation, ledger, outbox event and the back-dated check in one more statement.
 */
import { AppError, Decimal } from '@tenon/core';
import type { Executor } from '@tenon/db';
import { lockOrder } from '../domain/plan-move.ts';
import { type BatchLayer, type BatchValuation, valuationWrites, valueDelta } from '../domain/value-batch.ts';
import { InventoryErrors } from '../errors.ts';
import { addBalanceRows, lockBalanceRows, lockStockRows } from '../repositories/bulk-stock.repository.ts';
import type { ItemRow } from '../repositories/master-data.repository.ts';
import { appendPostingTail, applyAndLock, firstOpenLayers } from '../repositories/posting.repository.ts';
import { dec, type LedgerRow, orNil } from '../repositories/stock.repository.ts';
import type { ValuedDelta } from './apply-deltas.ts';

/** Layers read first for a FIFO issue; all of them only when these do not cover it. */
const LAYER_WINDOW = 16;

const isUniqueOrCheck = (err: unknown) => ['23505', '23514'].includes((err as { code?: string })?.code ?? '');
const lower = (s: string) => s.toLowerCase();
const balanceKey = (d: {
  itemId: string;
  locationId: string;
  lotId: string | null;
  serialId: string | null;
}) => lower(`${d.itemId}|${d.locationId}|${orNil(d.lotId)}|${orNil(d.serialId)}`);

export type PostingWrite = {
  header: Pick<LedgerRow, 'moveId' | 'moveType' | 'postingDate' | 'sourceType' | 'sourceId'>;
  deltas: ValuedDelta[];
  items: Map<string, ItemRow>;
  /** The unit cost entered on a line (incoming deltas). */
  unitCost: (lineNo: number) => string | null;
  allowNegative: (warehouseId: string) => boolean;
  /** false for a transfer inside one company (value-neutral, valuation untouched). */
  valued: boolean;
  event: { topic: string; moveId: string; payload: unknown };
  revaluations: { id: string; itemId: string; companyId: string; fromDate: string }[];
};

/** Applies a checked posting; returns its pending revaluation job ids. */
export async function writePosting(tx: Executor, schema: string, w: PostingWrite): Promise<string[]> {
  const stockDelta = new Map<
    string,
    { itemId: string; warehouseId: string; onHand: Decimal; reserved: Decimal }
  >();
  const balanceDelta = new Map<string, { d: ValuedDelta; delta: Decimal }>();
  for (const d of w.deltas) {
    const sk = lower(`${d.itemId}|${d.warehouseId}`);
    const s = stockDelta.get(sk) ?? {
      itemId: d.itemId,
      warehouseId: d.warehouseId,
      onHand: new Decimal(0),
      reserved: new Decimal(0),
    };
    s.onHand = s.onHand.plus(d.quantity);
    s.reserved = s.reserved.minus(d.reservedConsumed ?? 0);
    stockDelta.set(sk, s);
    const b = balanceDelta.get(balanceKey(d)) ?? { d, delta: new Decimal(0) };
    b.delta = b.delta.plus(d.quantity);
    balanceDelta.set(balanceKey(d), b);
  }
  const valKeys = w.valued
    ? [...new Map(w.deltas.map((d) => [lower(`${d.itemId}|${d.companyId}`), d])).entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, d]) => ({ itemId: d.itemId, companyId: d.companyId }))
    : [];
  const stockRows = [...stockDelta.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, s]) => ({ ...s, onHand: s.onHand.toFixed(), reserved: s.reserved.toFixed() }));
  const balanceRows = lockOrder(w.deltas).map((d) => ({
    itemId: d.itemId,
    locationId: d.locationId,
    lotId: d.lotId,
    serialId: d.serialId,
    warehouseId: d.warehouseId,
    delta: balanceDelta.get(balanceKey(d))!.delta.toFixed(),
  }));
  // A serial's balance rows (0 or 1, in one place: constraints checked on every row, even on the
  // proposed insert of an upsert) are locked first and updated after the checks.
  let before: Map<string, Decimal> | null = null;
  if (w.deltas.some((d) => d.serialId)) {
    await lockStockRows(tx, schema, stockRows);
    before = await lockBalanceRows(tx, schema, balanceRows);
  }
  const locked = await applyAndLock(tx, schema, {
    stock: stockRows,
    balances: before ? [] : balanceRows,
    valuations: valKeys,
  });
  for (const r of before ? balanceRows : []) {
    const k = balanceKey(r);
    locked.balances.set(k, before!.get(k)!.plus(balanceDelta.get(k)!.delta));
  }
  checkStock(w, locked, balanceDelta, stockDelta);
  if (before) {
    try {
      await addBalanceRows(
        tx,
        schema,
        // The place a serial leaves first, then the place it arrives at.
        [...balanceRows]
          .sort((a, b) => Number(a.delta.startsWith('-') ? 0 : 1) - Number(b.delta.startsWith('-') ? 0 : 1))
          .map((r) => ({ key: r, delta: r.delta })),
      );
    } catch (err) {
      if (isUniqueOrCheck(err))
        throw new AppError(InventoryErrors.INVENTORY_SERIAL_UNAVAILABLE, {
          serial: w.deltas.find((d) => d.serialId)?.serialId ?? '',
        });
      throw err;
    }
  }
  const ledger = await valueDeltas(tx, schema, w, locked.valuations);
  return appendPostingTail(tx, schema, {
    layers: ledger.writes.remainders,
    newLayers: ledger.writes.created,
    valuations: ledger.writes.valuations,
    ledger: w.deltas.map((d) => ({ ...w.header, ...d })),
    event: w.event,
    revaluations: w.revaluations,
  });
}

/** The refusals of a posting, judged from the rows' new totals (old = new - this move's delta). */
function checkStock(
  w: PostingWrite,
  locked: Awaited<ReturnType<typeof applyAndLock>>,
  balanceDelta: Map<string, { delta: Decimal }>,
  stockDelta: Map<string, { itemId: string; warehouseId: string; onHand: Decimal; reserved: Decimal }>,
) {
  const running = new Map<string, Decimal>();
  for (const d of w.deltas) {
    const bk = balanceKey(d);
    const before = running.get(bk) ?? locked.balances.get(bk)!.minus(balanceDelta.get(bk)!.delta);
    const next = before.plus(d.quantity);
    running.set(bk, next);
    if (next.isNegative() && !next.isZero() && (d.serialId || !w.allowNegative(d.warehouseId))) {
      throw d.serialId
        ? new AppError(InventoryErrors.INVENTORY_SERIAL_UNAVAILABLE, { serial: d.serialId })
        : new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_STOCK, {
            item: d.itemId,
            location: d.locationId,
            onHand: before.toFixed(),
            needed: d.quantity.neg().toFixed(),
          });
    }
  }
  for (const [sk, acc] of stockDelta) {
    const row = locked.stock.get(sk)!;
    if (acc.onHand.isNegative() && row.onHand.lt(row.reserved) && !w.allowNegative(acc.warehouseId)) {
      const available = row.onHand.minus(acc.onHand).minus(row.reserved.minus(acc.reserved));
      throw new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_AVAILABLE, {
        item: acc.itemId,
        available: Decimal.max(available, 0).toFixed(),
        requested: acc.onHand.neg().toFixed(),
      });
    }
  }
}

/** Sets each delta's value: FIFO layers (the reachable ones read now) or the moving average. */
async function valueDeltas(
  tx: Executor,
  schema: string,
  w: PostingWrite,
  current: Map<string, { quantity: Decimal; value: Decimal }>,
) {
  const state = new Map<string, BatchValuation>();
  if (!w.valued) return { writes: valuationWrites(state, current) };
  for (const [k, v] of current) state.set(k, { quantity: v.quantity, value: v.value, layers: [] });
  const needs = new Map<string, { itemId: string; companyId: string; q: Decimal }>();
  for (const d of w.deltas) {
    if (!d.quantity.isNegative() || w.items.get(d.itemId)!.valuationMethod !== 'fifo') continue;
    const k = lower(`${d.itemId}|${d.companyId}`);
    const n = needs.get(k) ?? { itemId: d.itemId, companyId: d.companyId, q: new Decimal(0) };
    n.q = n.q.minus(d.quantity);
    needs.set(k, n);
  }
  for (const [k, n] of needs) state.get(k)!.layers = await reachableLayers(tx, schema, n);
  const order = [...w.deltas].sort((a, b) =>
    a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : a.lineNo - b.lineNo,
  );
  for (const d of order) {
    d.value = valueDelta(
      state.get(lower(`${d.itemId}|${d.companyId}`))!,
      w.items.get(d.itemId)!,
      { quantity: d.quantity, unitCost: d.quantity.gt(0) ? w.unitCost(d.lineNo) : null },
      { moveId: w.header.moveId, postingDate: w.header.postingDate },
    );
  }
  return { writes: valuationWrites(state, current) };
}

/** The open layers an issue of `q` can reach, oldest first (a bounded read when they cover it). */
async function reachableLayers(
  tx: Executor,
  schema: string,
  n: { itemId: string; companyId: string; q: Decimal },
): Promise<BatchLayer[]> {
  let rows = await firstOpenLayers(tx, schema, { ...n, limit: LAYER_WINDOW });
  const covered = rows.reduce(
    (s, r) => (dec(r.remaining).gt(0) ? s.plus(dec(r.remaining)) : s),
    new Decimal(0),
  );
  if (rows.length === LAYER_WINDOW && covered.lt(n.q))
    rows = await firstOpenLayers(tx, schema, { ...n, limit: null });
  return rows.map((r) => ({
    seq: r.seq,
    remaining: dec(r.remaining),
    remainingValue: dec(r.remaining_value),
    unitCost: dec(r.unit_cost),
    touched: false,
  }));
}
