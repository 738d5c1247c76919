/**
 * One batch of a bulk import (decision 0013), one transaction of a few statements: keys claimed
 * with the master data; every move checked and planned; stock and balance deltas applied and the
 * valuation rows locked, in key order, once the lane's previous batch has committed; the open FIFO
 * layers the issues reach read; the moves valued in posting-date order; one tail writing valuation,
 * layers, ledger, outbox event and the back-dated check. A refused move refuses the whole batch.
 */
import { randomFillSync } from 'node:crypto';
import { AppError, Decimal } from '@tenon/core';
import type { Executor } from '@tenon/db';
import { lockOrder, type MoveLineInput, planMove } from '../domain/plan-move.ts';
import { type BatchDelta, type BatchMove, type BatchStart, valueMoves } from '../domain/value-moves.ts';
import { scaledText, toScaled } from '../domain/value-scaled.ts';
import { InventoryErrors } from '../errors.ts';
import {
  appendBatchTail,
  applyBatchAndLock,
  type BatchBalanceChange,
  type BatchStockChange,
  claimBatchWithFacts,
  reachableLayers,
} from '../repositories/bulk-import.repository.ts';
import {
  type ItemRow,
  itemOfFact,
  type LocationRow,
  type WarehouseRow,
} from '../repositories/master-data.repository.ts';
import { orNil } from '../repositories/stock.repository.ts';
import { checkIds, inBaseUnits, type PostMoveInput } from './post-stock-move.service.ts';

export type BulkMove = Omit<PostMoveInput, 'moveId' | 'inlineRevaluation'> & {
  moveType: 'receipt' | 'issue';
};
export type BulkEntry = { m: BulkMove; i: number };
type Move = BulkEntry & { moveId: string };

const isUniqueOrCheck = (err: unknown) => ['23505', '23514'].includes((err as { code?: string })?.code ?? '');

const notFound = (what: string, id: string) =>
  new AppError(InventoryErrors.INVENTORY_NOT_FOUND, { what, id });

/**
 * Thrown in a batch whose previous batch (or another lane) failed: it rolls back; the import
 * reports the first error.
 */
const PREVIOUS_FAILED = new Error('the previous batch of the import failed');

export async function postBulkBatch(
  tx: Executor,
  schema: string,
  batch: BulkEntry[],
  after: Promise<unknown> | null,
  /** Another lane of the import failed. */
  stopped: () => boolean,
): Promise<{ posted: number; jobs: string[] }> {
  const previousDone = async () => {
    if (after)
      await after.catch(() => {
        throw PREVIOUS_FAILED;
      });
    if (stopped()) throw PREVIOUS_FAILED;
  };
  for (const { m, i } of batch) refer(i, () => checkIds(m));
  const ids = newIds(batch.length);
  const refs = { warehouses: new Set<string>(), items: new Set<string>(), locations: new Set<string>() };
  const lots = new Set<string>();
  const serials = new Set<string>();
  for (const { m } of batch) {
    refs.warehouses.add(m.warehouse);
    for (const l of m.lines) {
      refs.items.add(l.item);
      if (l.fromLocation) refs.locations.add(l.fromLocation);
      if (l.toLocation) refs.locations.add(l.toLocation);
      if (l.lot) lots.add(l.lot);
      if (l.serial) serials.add(l.serial);
    }
  }
  const facts = await claimBatchWithFacts(tx, schema, {
    claims: batch.map((b, n) => ({ moveId: ids[n]!, key: b.m.idempotencyKey, moveType: b.m.moveType })),
    warehouses: [...refs.warehouses],
    items: [...refs.items],
    locations: [...refs.locations],
    lots: [...lots],
    serials: [...serials],
  });
  const claimed: Move[] = [];
  for (const [n, b] of batch.entries())
    if (facts.claimed.delete(b.m.idempotencyKey)) claimed.push({ m: b.m, i: b.i, moveId: ids[n]! });
  if (claimed.length === 0) {
    await previousDone();
    return { posted: 0, jobs: [] };
  }

  const items = new Map<string, ItemRow>();
  const locations = new Map<string, LocationRow>();
  const warehouses = new Map<string, WarehouseRow>();
  const owners = new Map<string, string>();
  for (const r of facts.rows) {
    if (r.kind === 'item') items.set(r.id, itemOfFact(r));
    else if (r.kind === 'location') locations.set(r.id, { id: r.id, warehouseId: r.a! });
    else if (r.kind === 'warehouse')
      warehouses.set(r.id, { id: r.id, companyId: r.a!, allowNegative: r.b === 'true' });
    else owners.set(r.id, r.a!);
  }
  // Missing master data, in the order of the one-statement-per-table reads this replaces.
  for (const b of claimed) for (const l of b.m.lines) if (!items.has(l.item)) throw notFound('item', l.item);
  const moves: Move[] = [];
  for (const b of claimed) {
    const foreign = b.m.lines.some((l) => l.uom && l.uom !== items.get(l.item)!.baseUom);
    moves.push(
      foreign ? { ...b, m: (await inBaseUnits(tx, schema, b.m as PostMoveInput, items)) as BulkMove } : b,
    );
  }
  for (const b of moves)
    for (const l of b.m.lines)
      for (const id of [l.fromLocation, l.toLocation])
        if (id && !locations.has(id)) throw notFound('location', id);
  for (const b of moves) if (!warehouses.has(b.m.warehouse)) throw notFound('warehouse', b.m.warehouse);

  // Plan every move (pure checks), then apply and lock what they touch in key order.
  const planned = moves.map((b) => refer(b.i, () => planOne(b.m, { items, locations, warehouses, owners })));
  const all = planned.flat();
  const deltas = sumDeltas(all);
  const balancesLater = all.some((d) => d.serialId);
  const valKeys = [...new Map(all.map((d) => [`${d.itemId}|${d.companyId}`, d])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, d]) => ({ itemId: d.itemId, companyId: d.companyId }));
  await previousDone();
  const totals = await applyBatchAndLock(tx, schema, {
    stock: deltas.stock,
    balances: deltas.balances,
    valuations: valKeys,
    balancesLater,
  });
  // FIFO issues read only the layers they can reach (receipts add theirs after the open ones).
  const needs = new Map<string, { itemId: string; companyId: string; q: Decimal }>();
  for (const d of all)
    if (d.direction === 'out' && items.get(d.itemId)!.valuationMethod === 'fifo') {
      const k = `${d.itemId}|${d.companyId}`;
      const n = needs.get(k) ?? { itemId: d.itemId, companyId: d.companyId, q: new Decimal(0) };
      n.q = n.q.minus(d.quantity);
      needs.set(k, n);
    }
  const reach = [...needs.values()].map((n) => ({
    itemId: n.itemId,
    companyId: n.companyId,
    quantity: n.q.toFixed(),
  }));
  const layers = reach.length > 0 ? await reachableLayers(tx, schema, reach) : [];

  const start: BatchStart = { stock: new Map(), balances: new Map(), valuations: new Map(), layers };
  const applied = new Map<string, string>();
  for (const s of deltas.stock) applied.set(`${s.itemId}|${s.warehouseId}`, s.onHand);
  for (const b of deltas.balances)
    applied.set(
      `${b.itemId}|${b.locationId}|${orNil(b.lotId)}|${orNil(b.serialId)}`,
      balancesLater ? '0' : b.delta,
    );
  for (const r of totals) {
    if (r.kind === 's')
      start.stock.set(`${r.k1}|${r.k2}`, {
        onHand: r.x,
        reserved: r.y!,
        applied: applied.get(`${r.k1}|${r.k2}`)!,
      });
    else if (r.kind === 'b') {
      const k = `${r.k1}|${r.k2}|${r.k3}|${r.k4}`;
      start.balances.set(k, { onHand: r.x, applied: applied.get(k)! });
    } else start.valuations.set(`${r.k1}|${r.k2}`, { quantity: r.x, value: r.y! });
  }
  const valued = valueMoves({
    moves: moves.map(
      (b, n): BatchMove => ({
        moveId: b.moveId,
        moveType: b.m.moveType,
        postingDate: b.m.postingDate,
        sourceType: b.m.sourceType ?? null,
        sourceId: b.m.sourceId ?? null,
        deltas: planned[n]!,
      }),
    ),
    start,
    items,
    warehouses,
    refer: (n, f) => refer(moves[n]!.i, f),
  });
  // Back-dated against what was already posted: queue revaluation (checked before the append).
  const firstDate = new Map<string, { id: string; itemId: string; companyId: string; fromDate: string }>();
  for (const r of valued.ledger)
    if (!firstDate.has(`${r.itemId}|${r.companyId}`))
      firstDate.set(`${r.itemId}|${r.companyId}`, {
        id: '',
        itemId: r.itemId,
        companyId: r.companyId,
        fromDate: r.postingDate,
      });
  const jobIds = newIds(firstDate.size);
  const revaluations = [...firstDate.values()].map((j, n) => Object.assign(j, { id: jobIds[n]! }));
  try {
    const jobs = await appendBatchTail(tx, schema, {
      balances: balancesLater ? deltas.balances : null,
      ...valued.writes,
      ledger: valued.ledger,
      event: {
        topic: 'inventory.stock_move.bulk_posted',
        moveId: moves[0]!.moveId,
        payload: { moves: moves.map((b) => b.moveId), lines: valued.ledger.length },
      },
      revaluations,
    });
    return { posted: moves.length, jobs };
  } catch (err) {
    if (balancesLater && isUniqueOrCheck(err))
      throw new AppError(InventoryErrors.INVENTORY_SERIAL_UNAVAILABLE, {
        serial: all.find((d) => d.serialId)?.serialId ?? '',
      });
    throw err;
  }
}

function planOne(
  m: BulkMove,
  k: {
    items: Map<string, ItemRow>;
    locations: Map<string, LocationRow>;
    warehouses: Map<string, WarehouseRow>;
    owners: Map<string, string>;
  },
): BatchDelta[] {
  const input: MoveLineInput[] = m.lines.map((l, n) => {
    for (const id of [l.lot, l.serial])
      if (id && k.owners.get(id) !== l.item)
        throw new AppError(InventoryErrors.INVENTORY_NOT_FOUND, { what: 'lot or serial of this item', id });
    return {
      lineNo: n + 1,
      item: k.items.get(l.item)!,
      from: l.fromLocation ?? null,
      to: l.toLocation ?? null,
      lot: l.lot ?? null,
      serial: l.serial ?? null,
      quantity: new Decimal(l.quantity),
    };
  });
  const wh = k.warehouses.get(m.warehouse)!;
  return planMove(m.moveType, input).map((d) => {
    if (k.locations.get(d.locationId)!.warehouseId !== wh.id)
      throw new AppError(InventoryErrors.INVENTORY_INVALID_MOVE, {
        line: d.lineNo,
        reason: 'location is not in the move warehouse',
      });
    const delta = d as BatchDelta;
    delta.warehouseId = wh.id;
    delta.companyId = wh.companyId;
    const line = m.lines[d.lineNo - 1]!;
    delta.unitCost = line.unitCost ?? null;
    const units = toScaled(line.quantity);
    delta.units = units === null ? null : d.direction === 'out' ? -units : units;
    return delta;
  });
}

/** The batch's deltas summed per stock row and per balance row, each list in lock order. */
function sumDeltas(all: BatchDelta[]): { stock: BatchStockChange[]; balances: BatchBalanceChange[] } {
  // Integer sums when every quantity has at most 9 places (the columns' scale), else decimals.
  const exact = all.every((d) => d.units !== null);
  const stock = new Map<string, { itemId: string; warehouseId: string; q: bigint; d: Decimal }>();
  const balances = new Map<string, { key: BatchDelta; q: bigint; d: Decimal }>();
  const zero = new Decimal(0);
  for (const d of all) {
    const sk = `${d.itemId}|${d.warehouseId}`;
    const s = stock.get(sk) ?? { itemId: d.itemId, warehouseId: d.warehouseId, q: 0n, d: zero };
    const bk = `${d.itemId}|${d.locationId}|${orNil(d.lotId)}|${orNil(d.serialId)}`;
    const b = balances.get(bk) ?? { key: d, q: 0n, d: zero };
    if (exact) {
      s.q += d.units!;
      b.q += d.units!;
    } else {
      s.d = s.d.plus(d.quantity);
      b.d = b.d.plus(d.quantity);
    }
    stock.set(sk, s);
    balances.set(bk, b);
  }
  const text = (x: { q: bigint; d: Decimal }) => (exact ? scaledText(x.q) : x.d.toFixed());
  return {
    stock: [...stock.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, s]) => ({ itemId: s.itemId, warehouseId: s.warehouseId, onHand: text(s) })),
    balances: lockOrder(
      [...balances.values()].map((b) => ({
        itemId: b.key.itemId,
        locationId: b.key.locationId,
        lotId: b.key.lotId,
        serialId: b.key.serialId,
        warehouseId: b.key.warehouseId,
        delta: text(b),
      })),
    ),
  };
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

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `n` UUIDv7 ids of this millisecond from one draw of random bytes (newId() draws per id). */
function newIds(n: number): string[] {
  const bytes = randomFillSync(new Uint8Array(n * 10));
  const time = Date.now().toString(16).padStart(12, '0');
  const head = `${time.slice(0, 8)}-${time.slice(8, 12)}-7`;
  const out = new Array<string>(n);
  for (let i = 0, o = 0; i < n; i++, o += 10) {
    const b = (j: number) => HEX[bytes[o + j]!]!;
    out[i] =
      `${head}${HEX[bytes[o]! & 0x0f]![1]}${b(1)}-${HEX[(bytes[o + 2]! & 0x3f) | 0x80]}${b(3)}-${b(4)}${b(5)}${b(6)}${b(7)}${b(8)}${b(9)}`;
  }
  return out;
}
