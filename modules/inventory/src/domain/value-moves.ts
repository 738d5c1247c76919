/**
 * Pure: checks and values the moves of a bulk-import batch in order against the rows the database
 * answered, in scaled integers or, when that is not exact, in decimals. No I/O, no clock.
 */
import { AppError, Decimal } from '@tenon/core';
import { InventoryErrors } from '../errors.ts';
import { NIL } from '../migrations.ts';
import type { LocationDelta } from './plan-move.ts';
import { type BatchValuation, type ValuationWrites, valuationWrites, valueDelta } from './value-batch.ts';
import {
  NOT_EXACT,
  type ScaledValuation,
  scaledText,
  toScaled,
  valuationWritesScaled,
  valueDeltaScaled,
} from './value-scaled.ts';
/** One move of a batch: its planned location deltas with their warehouse, company and unit cost. */
export type BatchMove = {
  moveId: string;
  moveType: string;
  postingDate: string;
  sourceType: string | null;
  sourceId: string | null;
  deltas: BatchDelta[];
};
/** `units`: the quantity in 10^-9 units, null when it has more than 9 places. */
export type BatchDelta = LocationDelta & { warehouseId: string; companyId: string } & {
  unitCost: string | null;
  units: bigint | null;
};

/** The rows as the database answered them after adding `applied`, and the layers issues can reach. */
export type BatchStart = {
  stock: Map<string, { onHand: string; reserved: string; applied: string }>;
  balances: Map<string, { onHand: string; applied: string }>;
  valuations: Map<string, { quantity: string; value: string }>;
  layers: Record<'item_id' | 'company_id' | 'seq' | 'remaining' | 'remaining_value' | 'unit_cost', string>[];
};

/** A ledger row of the batch, its numbers as decimal strings. */
export type BatchLedgerRow = Omit<BatchMove, 'deltas'> &
  Omit<BatchDelta, 'quantity' | 'direction' | 'unitCost' | 'units'> & { quantity: string; value: string };

export type BatchContext = {
  moves: BatchMove[];
  start: BatchStart;
  items: Map<string, { valuationMethod: string; standardCost: Decimal | null }>;
  warehouses: Map<string, { allowNegative: boolean }>;
  /** Wraps the checks of move `n` (names the move in a refusal). */
  refer: <T>(n: number, f: () => T) => T;
};

const balanceKeyOf = (d: BatchDelta) => `${d.itemId}|${d.locationId}|${d.lotId ?? NIL}|${d.serialId ?? NIL}`;

/**
 * Checks (stock, others' reservations, serials) and values a batch's moves in order: its ledger rows
 * and valuation writes, in scaled integers or, when they throw NOT_EXACT, with `valueDelta`.
 */
export function valueMoves(c: BatchContext): { ledger: BatchLedgerRow[]; writes: ValuationWrites } {
  try {
    return valueMovesScaled(c);
  } catch (err) {
    if (err !== NOT_EXACT) throw err;
    return valueMovesDecimal(c);
  }
}

type Numbers<T> = {
  zero: T;
  quantity: (d: BatchDelta) => T;
  parse: (text: string) => T;
  plus: (a: T, b: T) => T;
  minus: (a: T, b: T) => T;
  cmp: (a: T, b: T) => number;
  text: (a: T) => string;
};

/** `x`; NOT_EXACT when it is null (a number with more than 9 places). */
function given(x: bigint | null): bigint {
  if (x === null) throw NOT_EXACT;
  return x;
}

const SCALED: Numbers<bigint> = {
  zero: 0n,
  quantity: (d) => given(d.units),
  parse: (text) => given(toScaled(text)),
  plus: (a, b) => a + b,
  minus: (a, b) => a - b,
  cmp: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  text: scaledText,
};

const DECIMAL: Numbers<Decimal> = {
  zero: new Decimal(0),
  quantity: (d) => d.quantity,
  parse: (text) => new Decimal(text),
  plus: (a, b) => a.plus(b),
  minus: (a, b) => a.minus(b),
  cmp: (a, b) => a.cmp(b),
  text: (a) => a.toFixed(),
};

/** The checks of one delta against the running stock and balance rows; answers the delta's quantity. */
function checkDelta<T>(
  n: Numbers<T>,
  [d, q, allowNegative]: [BatchDelta, T, boolean],
  k: { balances: Map<string, T>; stock: Map<string, { onHand: T; reserved: T }> },
) {
  const bk = balanceKeyOf(d);
  const next = n.plus(k.balances.get(bk)!, q);
  if (n.cmp(next, n.zero) < 0 && (d.serialId || !allowNegative)) {
    throw d.serialId
      ? new AppError(InventoryErrors.INVENTORY_SERIAL_UNAVAILABLE, { serial: d.serialId })
      : new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_STOCK, {
          item: d.itemId,
          location: d.locationId,
          onHand: n.text(n.minus(next, q)),
          needed: n.text(n.minus(n.zero, q)),
        });
  }
  k.balances.set(bk, next);
  const s = k.stock.get(`${d.itemId}|${d.warehouseId}`)!;
  if (n.cmp(q, n.zero) < 0 && n.cmp(n.plus(s.onHand, q), s.reserved) < 0 && !allowNegative) {
    const available = n.minus(s.onHand, s.reserved);
    throw new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_AVAILABLE, {
      item: d.itemId,
      available: n.cmp(available, n.zero) < 0 ? '0' : n.text(available),
      requested: n.text(n.minus(n.zero, q)),
    });
  }
  s.onHand = n.plus(s.onHand, q);
}

/** The batch in order with one kind of number: `value` values a delta against its valuation state. */
function valueMovesWith<T, V>(
  n: Numbers<T>,
  c: BatchContext,
  k: {
    state: (b: { quantity: T; value: T }) => V;
    value: (v: V, d: BatchDelta, quantity: T, m: BatchMove) => T;
    writes: (state: Map<string, V>, before: Map<string, { quantity: T; value: T }>) => ValuationWrites;
  },
) {
  // The rows before the batch: the database answered them after the deltas were added.
  const balances = new Map<string, T>();
  for (const [key, b] of c.start.balances) balances.set(key, n.minus(n.parse(b.onHand), n.parse(b.applied)));
  const stock = new Map<string, { onHand: T; reserved: T }>();
  for (const [key, s] of c.start.stock)
    stock.set(key, { onHand: n.minus(n.parse(s.onHand), n.parse(s.applied)), reserved: n.parse(s.reserved) });
  const state = new Map<string, V>();
  const before = new Map<string, { quantity: T; value: T }>();
  for (const [key, v] of c.start.valuations) {
    const b = { quantity: n.parse(v.quantity), value: n.parse(v.value) };
    before.set(key, b);
    state.set(key, k.state(b));
  }
  for (const l of c.start.layers) {
    const v = state.get(`${l.item_id}|${l.company_id}`);
    if (v === undefined) continue;
    const [remaining, remainingValue, unitCost] = [l.remaining, l.remaining_value, l.unit_cost].map(
      n.parse,
    ) as [T, T, T];
    (v as { layers: object[] }).layers.push({
      seq: l.seq,
      remaining,
      remainingValue,
      unitCost,
      touched: false,
    });
  }
  const ledger: BatchLedgerRow[] = [];
  for (const [i, m] of c.moves.entries())
    c.refer(i, () => {
      for (const d of m.deltas) {
        const quantity = n.quantity(d);
        checkDelta(n, [d, quantity, c.warehouses.get(d.warehouseId)!.allowNegative], { balances, stock });
        const value = k.value(state.get(`${d.itemId}|${d.companyId}`)!, d, quantity, m);
        ledger.push({
          moveId: m.moveId,
          lineNo: d.lineNo,
          moveType: m.moveType,
          itemId: d.itemId,
          warehouseId: d.warehouseId,
          companyId: d.companyId,
          locationId: d.locationId,
          lotId: d.lotId,
          serialId: d.serialId,
          quantity: n.text(quantity),
          value: n.text(value),
          postingDate: m.postingDate,
          sourceType: m.sourceType,
          sourceId: m.sourceId,
        });
      }
    });
  return { ledger, writes: k.writes(state, before) };
}

function valueMovesScaled(c: BatchContext) {
  const items = new Map<string, { valuationMethod: string; standardCost: bigint | null }>();
  for (const [id, item] of c.items)
    items.set(id, {
      valuationMethod: item.valuationMethod,
      standardCost: item.standardCost === null ? null : SCALED.parse(item.standardCost.toFixed()),
    });
  return valueMovesWith<bigint, ScaledValuation>(SCALED, c, {
    state: (b) => ({ quantity: b.quantity, value: b.value, layers: [], head: 0 }),
    value: (v, d, quantity, m) =>
      valueDeltaScaled(
        v,
        items.get(d.itemId)!,
        { quantity, unitCost: d.unitCost ? SCALED.parse(d.unitCost) : null },
        m,
      ),
    writes: valuationWritesScaled,
  });
}

function valueMovesDecimal(c: BatchContext) {
  return valueMovesWith<Decimal, BatchValuation>(DECIMAL, c, {
    state: (b) => ({ quantity: b.quantity, value: b.value, layers: [] }),
    value: (v, d, _quantity, m) => valueDelta(v, c.items.get(d.itemId)!, d, m),
    writes: valuationWrites,
  });
}
