/**
 * Pick lists from a wave: by order, batch (one walk for many orders), cluster (a cart of totes) and
 * zone picking (one list per zone, then consolidation). Lines of several orders at the same bin,
 * item and lot merge into one pick with per-order split quantities. Every list is routed.
 */
import { AppError, Decimal } from '@tenon/core';
import { WmsErrors } from './errors.ts';
import type { Layout } from './layout.ts';
import { positive } from './quantity.ts';
import { optimiseRoute, type Route, type RouteMethod } from './routing.ts';
import type { WaveOrder } from './waves.ts';

export type PickSplit = { orderId: string; lineId: string; quantity: string; tote?: number };

export type Pick = {
  bin: string;
  item: string;
  lot?: string;
  uom: string;
  quantity: string;
  splits: PickSplit[];
};

export type PickListKind = 'order' | 'batch' | 'cluster' | 'zone';

export type PickList = {
  key: string;
  kind: PickListKind;
  orderIds: string[];
  zone?: string;
  /** Cluster picking: order id -> tote number (1..N). */
  totes?: Record<string, number>;
  /** Picks in walking order. */
  picks: Pick[];
  route: Route;
};

export type Consolidation = { orderId: string; zones: string[] };

export type PickPlan = { lists: PickList[]; consolidation: Consolidation[] };

export type PickOptions = {
  kind: PickListKind;
  /** Batch: orders per walk (all when omitted). Cluster: totes per cart (required). */
  ordersPerList?: number;
  method?: RouteMethod;
};

type Entry = { order: WaveOrder; tote?: number };

function merge(layout: Layout, entries: Entry[]): Pick[] {
  const picks = new Map<string, Pick & { total: Decimal }>();
  for (const { order, tote } of entries)
    for (const line of order.lines) {
      layout.pointOf(line.bin);
      const qty = positive(line.quantity, `${order.id}.${line.lineId}.quantity`);
      const key = JSON.stringify([line.bin, line.item, line.lot ?? null]);
      let pick = picks.get(key);
      if (!pick) {
        pick = {
          bin: line.bin,
          item: line.item,
          uom: line.uom,
          quantity: '0',
          splits: [],
          total: new Decimal(0),
        };
        if (line.lot !== undefined) pick.lot = line.lot;
        picks.set(key, pick);
      }
      if (pick.uom !== line.uom)
        throw new AppError(WmsErrors.WMS_UNIT_MISMATCH, { a: pick.uom, b: line.uom });
      pick.total = pick.total.plus(qty);
      const split: PickSplit = { orderId: order.id, lineId: line.lineId, quantity: qty.toFixed() };
      if (tote !== undefined) split.tote = tote;
      pick.splits.push(split);
    }
  return [...picks.values()].map(({ total, ...pick }) => ({ ...pick, quantity: total.toFixed() }));
}

function routed(
  layout: Layout,
  base: Omit<PickList, 'picks' | 'route'>,
  picks: Pick[],
  method?: RouteMethod,
): PickList {
  const route = optimiseRoute(
    layout,
    picks.map((p) => p.bin),
    method ? { method } : {},
  );
  const rank = new Map(route.order.map((bin, i) => [bin, i]));
  const ordered = [...picks].sort(
    (a, b) =>
      rank.get(a.bin)! - rank.get(b.bin)! ||
      (a.item < b.item ? -1 : a.item > b.item ? 1 : 0) ||
      ((a.lot ?? '') < (b.lot ?? '') ? -1 : 1),
  );
  return { ...base, picks: ordered, route };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function sizeOf(options: PickOptions, count: number): number {
  const size = options.ordersPerList ?? (options.kind === 'cluster' ? undefined : count);
  if (size === undefined || !Number.isInteger(size) || size < 1)
    throw new AppError(WmsErrors.WMS_INVALID_WAVE_RULE, {
      reason: 'ordersPerList must be a positive integer (the totes per cart for cluster picking)',
    });
  return size;
}

/** Turns a wave's orders into routed pick lists of the requested kind. */
export function buildPickLists(layout: Layout, orders: readonly WaveOrder[], options: PickOptions): PickPlan {
  const { kind, method } = options;
  const lists: PickList[] = [];
  const consolidation: Consolidation[] = [];
  if (orders.length === 0) return { lists, consolidation };
  if (kind === 'order') {
    for (const order of orders)
      lists.push(
        routed(layout, { key: order.id, kind, orderIds: [order.id] }, merge(layout, [{ order }]), method),
      );
  } else if (kind === 'batch' || kind === 'cluster') {
    chunks(orders, sizeOf(options, orders.length)).forEach((group, i) => {
      const totes = kind === 'cluster' ? Object.fromEntries(group.map((o, t) => [o.id, t + 1])) : undefined;
      const entries = group.map((order, t) => (totes ? { order, tote: t + 1 } : { order }));
      const base = { key: `${kind}-${i + 1}`, kind, orderIds: group.map((o) => o.id) };
      lists.push(routed(layout, totes ? { ...base, totes } : base, merge(layout, entries), method));
    });
  } else {
    const byZone = new Map<string, WaveOrder[]>();
    for (const order of orders) {
      const zones = new Map<string, WaveOrder>();
      for (const line of order.lines) {
        layout.pointOf(line.bin); // raises WMS_UNKNOWN_BIN
        const zone = layout.binByCode.get(line.bin)!.zone;
        const part = zones.get(zone) ?? { ...order, lines: [] };
        part.lines.push(line);
        zones.set(zone, part);
      }
      for (const [zone, part] of zones) byZone.set(zone, [...(byZone.get(zone) ?? []), part]);
      consolidation.push({ orderId: order.id, zones: [...zones.keys()].sort() });
    }
    for (const zone of [...byZone.keys()].sort()) {
      const parts = byZone.get(zone)!;
      const base = { key: `zone-${zone}`, kind, zone, orderIds: parts.map((o) => o.id) };
      lists.push(
        routed(
          layout,
          base,
          merge(
            layout,
            parts.map((order) => ({ order })),
          ),
          method,
        ),
      );
    }
  }
  return { lists, consolidation };
}
