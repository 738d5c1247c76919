/**
 * Warehouse layout: parallel aisles (vertical corridors at a fixed x) joined by a front and a back
 * cross-aisle, a depot on the front cross-aisle, bins along the aisles. Coordinates are metres of
 * geometry, not stock, so they are plain numbers.
 *
 * A picker stands in the aisle in front of a bin: the walking position of a bin is (aisle.x, bin.y).
 * Distances follow the aisle graph, never a straight line through racks.
 */
import { AppError } from '@tenon/core';
import { WmsErrors } from './errors.ts';

export type Aisle = { code: string; x: number };

export type Bin = {
  code: string;
  aisle: string;
  /** Physical position of the bin; walking happens at (aisle.x, y). */
  x: number;
  y: number;
  rack: string;
  level: string;
  zone: string;
  /** The warehouse's own walking order label; lower is visited first by location-sequence picking. */
  pickSequence: number;
};

export type LayoutInput = {
  aisles: Aisle[];
  bins: Bin[];
  /** y of the front and the back cross-aisle; every bin lies between them. */
  frontY: number;
  backY: number;
  /** x of the depot (start and end of every walk) on the front cross-aisle. */
  depotX: number;
};

/** A walking position: on an aisle (aisle index >= 0) or on a cross-aisle (aisle -1). */
export type Point = { aisle: number; x: number; y: number };

export type Layout = LayoutInput & {
  depot: Point;
  binByCode: Map<string, Bin>;
  pointOf(code: string): Point;
};

function invalid(reason: string): never {
  throw new AppError(WmsErrors.WMS_LAYOUT_INVALID, { reason });
}

/** Validates a layout and indexes it; throws WMS_LAYOUT_INVALID with the first problem found. */
export function buildLayout(input: LayoutInput): Layout {
  const { frontY, backY } = input;
  if (!(Number.isFinite(frontY) && Number.isFinite(backY) && frontY < backY))
    invalid('frontY must be a number below backY');
  if (!Number.isFinite(input.depotX)) invalid('depotX must be a number');
  const aisleIndex = new Map<string, number>();
  input.aisles.forEach((a, i) => {
    if (aisleIndex.has(a.code)) invalid(`aisle ${a.code} is declared twice`);
    if (!Number.isFinite(a.x)) invalid(`aisle ${a.code} has no x`);
    aisleIndex.set(a.code, i);
  });
  const binByCode = new Map<string, Bin>();
  const points = new Map<string, Point>();
  for (const bin of input.bins) {
    if (binByCode.has(bin.code)) invalid(`bin ${bin.code} is declared twice`);
    const index = aisleIndex.get(bin.aisle);
    if (index === undefined) invalid(`bin ${bin.code} refers to unknown aisle ${bin.aisle}`);
    if (!(Number.isFinite(bin.y) && bin.y >= frontY && bin.y <= backY))
      invalid(`bin ${bin.code} lies outside the aisles (y ${bin.y})`);
    binByCode.set(bin.code, bin);
    points.set(bin.code, { aisle: index, x: input.aisles[index]!.x, y: bin.y });
  }
  const depot: Point = { aisle: -1, x: input.depotX, y: frontY };
  return {
    ...input,
    depot,
    binByCode,
    pointOf(code: string): Point {
      const point = points.get(code);
      if (!point) throw new AppError(WmsErrors.WMS_UNKNOWN_BIN, { bin: code });
      return point;
    },
  };
}

/**
 * Shortest walk between two positions on the aisle graph. Within one aisle: straight along it.
 * Otherwise leave by the front or the back cross-aisle, whichever is shorter (a walk that leaves by
 * one end and arrives by the other is never shorter than both).
 */
export function walkDistance(layout: Pick<Layout, 'frontY' | 'backY'>, a: Point, b: Point): number {
  if (a.aisle >= 0 && a.aisle === b.aisle) return Math.abs(a.y - b.y);
  const across = Math.abs(a.x - b.x);
  const viaFront = a.y - layout.frontY + (b.y - layout.frontY);
  const viaBack = layout.backY - a.y + (layout.backY - b.y);
  return across + Math.min(viaFront, viaBack);
}

/** Walking distance between two bins by code (`'@depot'` names the depot). */
export function binDistance(layout: Layout, from: string, to: string): number {
  const p = from === DEPOT ? layout.depot : layout.pointOf(from);
  const q = to === DEPOT ? layout.depot : layout.pointOf(to);
  return walkDistance(layout, p, q);
}

/** The depot's name in routes and distance look-ups. */
export const DEPOT = '@depot';

/**
 * A regular grid layout (for tests, benchmarks and demos): `aisles` aisles `aisleSpacing` apart,
 * `binsPerAisle` bins along each, `slotDepth` apart; a new zone every `zoneEvery` aisles.
 */
export function gridLayout(options: {
  aisles: number;
  binsPerAisle: number;
  aisleSpacing?: number;
  slotDepth?: number;
  zoneEvery?: number;
}): Layout {
  const spacing = options.aisleSpacing ?? 3;
  const depth = options.slotDepth ?? 1;
  const zoneEvery = options.zoneEvery ?? options.aisles;
  const aisles: Aisle[] = [];
  const bins: Bin[] = [];
  for (let a = 0; a < options.aisles; a++) {
    const code = `A${String(a + 1).padStart(2, '0')}`;
    aisles.push({ code, x: a * spacing });
    for (let s = 0; s < options.binsPerAisle; s++) {
      bins.push({
        code: `${code}-${String(s + 1).padStart(3, '0')}`,
        aisle: code,
        x: a * spacing,
        y: 1 + s * depth,
        rack: `${code}-R${Math.floor(s / 10) + 1}`,
        level: '1',
        zone: `Z${Math.floor(a / zoneEvery) + 1}`,
        pickSequence: a * options.binsPerAisle + s,
      });
    }
  }
  return buildLayout({ aisles, bins, frontY: 0, backY: 2 + (options.binsPerAisle - 1) * depth, depotX: 0 });
}
