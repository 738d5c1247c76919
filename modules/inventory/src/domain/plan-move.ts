/**
 * Pure: checks a stock move's lines and turns each into signed location deltas (one row out of the
 * source, one into the destination). No I/O, no clock.
 */
import { AppError, type Decimal } from '@tenon/core';
import { InventoryErrors } from '../errors.ts';

export type MoveType = 'receipt' | 'issue' | 'transfer' | 'adjustment' | 'scrap';
export const MOVE_TYPES: readonly MoveType[] = ['receipt', 'issue', 'transfer', 'adjustment', 'scrap'];

export type ItemFacts = {
  id: string;
  itemType: 'stocked' | 'consumable' | 'service';
  tracking: 'none' | 'lot' | 'serial';
};

export type MoveLineInput = {
  lineNo: number;
  item: ItemFacts;
  from: string | null;
  to: string | null;
  lot: string | null;
  serial: string | null;
  quantity: Decimal;
};

export type LocationDelta = {
  lineNo: number;
  itemId: string;
  locationId: string;
  lotId: string | null;
  serialId: string | null;
  /** Signed: negative leaves the location, positive arrives. */
  quantity: Decimal;
  direction: 'out' | 'in';
};

const fail = (line: number, reason: string) =>
  new AppError(InventoryErrors.INVENTORY_INVALID_MOVE, { line, reason });

/** Which ends a move type needs: [from, to]; `adjustment` takes exactly one of them. */
const ENDS: Record<MoveType, ['required' | 'forbidden' | 'either', 'required' | 'forbidden' | 'either']> = {
  receipt: ['forbidden', 'required'],
  issue: ['required', 'forbidden'],
  scrap: ['required', 'forbidden'],
  transfer: ['required', 'required'],
  adjustment: ['either', 'either'],
};

export function planMove(type: MoveType, lines: MoveLineInput[]): LocationDelta[] {
  if (!MOVE_TYPES.includes(type)) throw fail(0, `unknown move type ${String(type)}`);
  if (lines.length === 0) throw fail(0, 'a move needs at least one line');
  const deltas: LocationDelta[] = [];
  for (const line of lines) {
    const n = line.lineNo;
    if (line.item.itemType === 'service') throw fail(n, 'a service item is not stocked');
    if (!line.quantity.isFinite() || line.quantity.lte(0)) throw fail(n, 'quantity must be greater than 0');
    const [fromRule, toRule] = ENDS[type];
    if (fromRule === 'required' && !line.from) throw fail(n, 'from_location is required');
    if (toRule === 'required' && !line.to) throw fail(n, 'to_location is required');
    if (fromRule === 'forbidden' && line.from) throw fail(n, `a ${type} has no from_location`);
    if (toRule === 'forbidden' && line.to) throw fail(n, `a ${type} has no to_location`);
    if (type === 'adjustment' && Boolean(line.from) === Boolean(line.to)) {
      throw fail(n, 'an adjustment takes either from_location (decrease) or to_location (increase)');
    }
    if (line.from && line.from === line.to) throw fail(n, 'from and to locations are the same');
    const tracking = line.item.tracking;
    if (tracking === 'lot' && !line.lot) throw fail(n, 'the item is tracked by lot: lot is required');
    if (tracking === 'serial') {
      if (!line.serial) throw fail(n, 'the item is tracked by serial: serial is required');
      if (!line.quantity.eq(1)) throw fail(n, 'a serial-tracked line moves exactly 1 unit');
    }
    if (tracking === 'none' && (line.lot || line.serial))
      throw fail(n, 'the item is not tracked by lot or serial');
    // Object literals, not a spread of shared fields: this runs once per line of every posting.
    const lotId = tracking === 'none' ? null : line.lot;
    const serialId = tracking === 'serial' ? line.serial : null;
    const itemId = line.item.id;
    if (line.from) {
      const quantity = line.quantity.neg();
      deltas.push({ lineNo: n, itemId, lotId, serialId, locationId: line.from, quantity, direction: 'out' });
    }
    if (line.to) {
      const quantity = line.quantity;
      deltas.push({ lineNo: n, itemId, lotId, serialId, locationId: line.to, quantity, direction: 'in' });
    }
  }
  return deltas;
}

/** Balance keys in the one order every posting locks them in (no deadlocks). */
export function lockOrder<
  T extends { itemId: string; locationId: string; lotId: string | null; serialId: string | null },
>(keys: T[]): T[] {
  const k = (x: T) => `${x.itemId}|${x.locationId}|${x.lotId ?? ''}|${x.serialId ?? ''}`;
  const unique = new Map<string, T>();
  for (const key of keys) if (!unique.has(k(key))) unique.set(k(key), key);
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}
