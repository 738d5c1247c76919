/**
 * Putaway suggestions as rules in priority order, each suggestion with its reason:
 *  1. `fixed_bin`      the item's fixed bin;
 *  2. `same_lot`       a bin already holding the item and the same lot;
 *  3. `same_item`      a bin already holding the item (another lot), when lots may mix;
 *  4. `nearest_empty`  the nearest empty bin from the receiving dock, in the item class's zones;
 *  5. `class_zone`     any other bin with room in the item class's zones, when items may mix.
 * A bin takes only what fits by volume, weight and units; the rest goes to the next rule. What fits
 * nowhere is reported as `unplaced`.
 */
import { Decimal as D, type Decimal } from '@tenon/core';
import { binDistance, type Layout } from './layout.ts';
import { nonNegative, positive } from './quantity.ts';

export type Capacity = { volume?: string; weight?: string; units?: string };

export type BinState = {
  bin: string;
  capacity: Capacity;
  used: { volume: string; weight: string; units: string };
  contents: { item: string; lot?: string; quantity: string }[];
  blocked?: boolean;
};

export type PutawayItem = {
  item: string;
  itemClass: string;
  fixedBin?: string;
  /** Per unit of the received UoM. */
  unitVolume: string;
  unitWeight: string;
};

export type PutawayReason = 'fixed_bin' | 'same_lot' | 'same_item' | 'nearest_empty' | 'class_zone';

export type PutawaySuggestion = { bin: string; quantity: string; reason: PutawayReason; distance: number };

export type PutawayResult = { suggestions: PutawaySuggestion[]; unplaced: string };

/** Whole units that still fit in the bin (capacity dimensions left out do not limit). */
function room(state: BinState, item: PutawayItem): Decimal {
  const limits: Decimal[] = [];
  const dims: [keyof Capacity, string][] = [
    ['volume', item.unitVolume],
    ['weight', item.unitWeight],
    ['units', '1'],
  ];
  for (const [dim, perUnit] of dims) {
    const cap = state.capacity[dim];
    if (cap === undefined) continue;
    const free = nonNegative(cap, `${state.bin}.capacity.${dim}`).minus(
      nonNegative(state.used[dim], `${state.bin}.used.${dim}`),
    );
    const unit = nonNegative(perUnit, `${item.item}.${dim}`);
    if (free.lte(0)) return new D(0);
    if (!unit.isZero()) limits.push(free.dividedToIntegerBy(unit));
  }
  return limits.length === 0 ? new D(Number.POSITIVE_INFINITY) : D.min(...limits);
}

export function suggestPutaway(input: {
  layout: Layout;
  dock: string;
  item: PutawayItem;
  lot?: string;
  quantity: string;
  bins: BinState[];
  /** Item class -> zones where it belongs; unrestricted when the class is absent. */
  zonesByClass: Record<string, string[]>;
  /** Lots of one item may share a bin (default true). */
  mixLots?: boolean;
  /** Different items may share a bin (default true); the `class_zone` rule needs it. */
  mixItems?: boolean;
}): PutawayResult {
  const { layout, item } = input;
  let left = positive(input.quantity, 'quantity');
  const zones = input.zonesByClass[item.itemClass];
  const inClassZone = (bin: string) => !zones || zones.includes(layout.binByCode.get(bin)?.zone ?? '');
  const distance = (bin: string) => binDistance(layout, input.dock, bin);
  const used = new Set<string>();
  const suggestions: PutawaySuggestion[] = [];
  const open = input.bins.filter((b) => !b.blocked);
  for (const b of open) layout.pointOf(b.bin);

  const place = (state: BinState, reason: PutawayReason) => {
    if (left.isZero() || used.has(state.bin)) return;
    const take = D.min(left, room(state, item));
    if (take.lte(0)) return;
    used.add(state.bin);
    left = left.minus(take);
    suggestions.push({ bin: state.bin, quantity: take.toFixed(), reason, distance: distance(state.bin) });
  };
  const nearestFirst = (list: BinState[]) =>
    [...list].sort((a, b) => distance(a.bin) - distance(b.bin) || (a.bin < b.bin ? -1 : 1));
  const holds = (s: BinState, sameLot: boolean) =>
    s.contents.some((c) => c.item === item.item && ((c.lot ?? null) === (input.lot ?? null)) === sameLot);
  const isEmpty = (s: BinState) =>
    s.contents.every((c) => nonNegative(c.quantity, `${s.bin}.quantity`).isZero());

  const fixed = open.find((b) => b.bin === item.fixedBin);
  if (fixed) place(fixed, 'fixed_bin');
  for (const s of nearestFirst(open.filter((s) => holds(s, true)))) place(s, 'same_lot');
  if (input.mixLots !== false)
    for (const s of nearestFirst(open.filter((s) => holds(s, false) && !holds(s, true))))
      place(s, 'same_item');
  for (const s of nearestFirst(open.filter((s) => isEmpty(s) && inClassZone(s.bin))))
    place(s, 'nearest_empty');
  if (input.mixItems !== false)
    for (const s of nearestFirst(open.filter((s) => inClassZone(s.bin)))) place(s, 'class_zone');
  return { suggestions, unplaced: left.toFixed() };
}
