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

/** A refusal of one of several combined postings: which one (its move id), and why. */
export class PostingRefused extends Error {
  constructor(
    readonly moveId: string,
    readonly refusal: AppError,
  ) {
    super(refusal.message);
  }
}

type StockAcc = { itemId: string; warehouseId: string; onHand: Decimal; reserved: Decimal };

/** The deltas of one posting or of several, summed per stock row (key -> total). */
function stockTotals(deltas: ValuedDelta[]) {
  const totals = new Map<string, StockAcc>();
  for (const d of deltas) {
    const sk = lower(`${d.itemId}|${d.warehouseId}`);
    const s = totals.get(sk) ?? {
      itemId: d.itemId,
      warehouseId: d.warehouseId,
      onHand: new Decimal(0),
      reserved: new Decimal(0),
    };
    s.onHand = s.onHand.plus(d.quantity);
    s.reserved = s.reserved.minus(d.reservedConsumed ?? 0);
    totals.set(sk, s);
  }
  return totals;
}

/**
 * Applies checked postings (one, or several combined in arrival order) in one transaction; returns
 * the pending revaluation job ids. A refusal of any of them rolls the transaction back.
 */
export async function writePostings(tx: Executor, schema: string, ws: PostingWrite[]): Promise<string[]> {
  const all = ws.flatMap((w) => w.deltas);
  const stockDelta = stockTotals(all);
  const balanceDelta = new Map<string, { d: ValuedDelta; delta: Decimal }>();
  for (const d of all) {
    const b = balanceDelta.get(balanceKey(d)) ?? { d, delta: new Decimal(0) };
    b.delta = b.delta.plus(d.quantity);
    balanceDelta.set(balanceKey(d), b);
  }
  const valKeys = [
    ...new Map(
      ws.flatMap((w) => (w.valued ? w.deltas : [])).map((d) => [lower(`${d.itemId}|${d.companyId}`), d]),
    ),
  ]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, d]) => ({ itemId: d.itemId, companyId: d.companyId }));
  const stockRows = [...stockDelta.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, s]) => ({ ...s, onHand: s.onHand.toFixed(), reserved: s.reserved.toFixed() }));
  const balanceRows = lockOrder(all).map((d) => ({
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
  if (all.some((d) => d.serialId)) {
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
  checkStock(ws, locked, balanceDelta, stockDelta);
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
          serial: all.find((d) => d.serialId)?.serialId ?? '',
        });
      throw err;
    }
  }
  const writes = await valueDeltas(tx, schema, ws, locked.valuations);
  return appendPostingTail(tx, schema, {
    layers: writes.remainders,
    newLayers: writes.created,
    valuations: writes.valuations,
    ledger: ws.flatMap((w) => w.deltas.map((d) => ({ ...w.header, ...d }))),
    events: ws.map((w) => w.event),
    revaluations: earliestPerItem(ws.flatMap((w) => w.revaluations)),
  });
}

/** One revaluation key per item and company (the earliest date), in key order. */
function earliestPerItem(keys: PostingWrite['revaluations']) {
  const first = new Map<string, PostingWrite['revaluations'][number]>();
  for (const k of keys) {
    const key = lower(`${k.itemId}|${k.companyId}`);
    const seen = first.get(key);
    if (!seen || k.fromDate < seen.fromDate) first.set(key, k);
  }
  return [...first.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, k]) => k);
}

/**
 * The refusals of postings, judged from the rows' new totals: the totals before them are the new
 * ones less all their deltas, then each posting is added in turn. A refusal of one of several
 * names it (PostingRefused).
 */
function checkStock(
  ws: PostingWrite[],
  locked: Awaited<ReturnType<typeof applyAndLock>>,
  balanceDelta: Map<string, { delta: Decimal }>,
  stockDelta: Map<string, StockAcc>,
) {
  const running = new Map<string, Decimal>();
  const stock = new Map<string, { onHand: Decimal; reserved: Decimal }>();
  for (const [sk, acc] of stockDelta) {
    const row = locked.stock.get(sk)!;
    stock.set(sk, { onHand: row.onHand.minus(acc.onHand), reserved: row.reserved.minus(acc.reserved) });
  }
  for (const w of ws) {
    try {
      checkOne(w, { running, stock, locked, balanceDelta });
    } catch (err) {
      if (ws.length > 1 && err instanceof AppError) throw new PostingRefused(w.header.moveId, err);
      throw err;
    }
  }
}

/** One posting's refusals, against the running totals of those before it. */
function checkOne(
  w: PostingWrite,
  k: {
    running: Map<string, Decimal>;
    stock: Map<string, { onHand: Decimal; reserved: Decimal }>;
    locked: Awaited<ReturnType<typeof applyAndLock>>;
    balanceDelta: Map<string, { delta: Decimal }>;
  },
) {
  for (const d of w.deltas) {
    const bk = balanceKey(d);
    const before = k.running.get(bk) ?? k.locked.balances.get(bk)!.minus(k.balanceDelta.get(bk)!.delta);
    const next = before.plus(d.quantity);
    k.running.set(bk, next);
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
  for (const [sk, acc] of stockTotals(w.deltas)) {
    const was = k.stock.get(sk)!;
    const now = { onHand: was.onHand.plus(acc.onHand), reserved: was.reserved.plus(acc.reserved) };
    k.stock.set(sk, now);
    if (acc.onHand.isNegative() && now.onHand.lt(now.reserved) && !w.allowNegative(acc.warehouseId)) {
      throw new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_AVAILABLE, {
        item: acc.itemId,
        available: Decimal.max(was.onHand.minus(was.reserved), 0).toFixed(),
        requested: acc.onHand.neg().toFixed(),
      });
    }
  }
}

/** Sets each delta's value: FIFO layers (the reachable ones read now) or the moving average. */
async function valueDeltas(
  tx: Executor,
  schema: string,
  ws: PostingWrite[],
  current: Map<string, { quantity: Decimal; value: Decimal }>,
) {
  const state = new Map<string, BatchValuation>();
  for (const [k, v] of current) state.set(k, { quantity: v.quantity, value: v.value, layers: [] });
  const needs = new Map<string, { itemId: string; companyId: string; q: Decimal }>();
  for (const w of ws) {
    if (!w.valued) continue;
    for (const d of w.deltas) {
      if (!d.quantity.isNegative() || w.items.get(d.itemId)!.valuationMethod !== 'fifo') continue;
      const k = lower(`${d.itemId}|${d.companyId}`);
      const n = needs.get(k) ?? { itemId: d.itemId, companyId: d.companyId, q: new Decimal(0) };
      n.q = n.q.minus(d.quantity);
      needs.set(k, n);
    }
  }
  for (const [k, n] of needs) state.get(k)!.layers = await reachableLayers(tx, schema, n);
  for (const w of ws) {
    if (!w.valued) continue;
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
  }
  return valuationWrites(state, current);
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
