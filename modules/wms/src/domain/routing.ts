/**
 * Pick route optimisation over the aisle graph. A route starts and ends at the depot and visits
 * every distinct stop once. Methods:
 *  - `naive`:   location-name order (what Odoo does), the yardstick every report is measured against;
 *  - `sshape`:  traversal — aisles left to right, each walked through, alternating up and down;
 *  - `return`:  aisles left to right, each entered and left from the front;
 *  - `nn2opt`:  nearest neighbour, then 2-opt and Or-opt until no move shortens the route;
 *  - `best`:    the shortest of the above and of 2-opt + Or-opt started from the S-shape and
 *               return walks (default);
 *  - `exact`:   branch and bound over all orders, at most 9 stops (for tests and tiny walks).
 */
import { AppError } from '@tenon/core';
import { WmsErrors } from './errors.ts';
import { type Layout, type Point, walkDistance } from './layout.ts';

export type RouteMethod = 'naive' | 'sshape' | 'return' | 'nn2opt' | 'best' | 'exact';

export type Route = {
  /** Distinct bin codes in walking order (the depot is implied at both ends). */
  order: string[];
  length: number;
  /** Length of the naive location-name order over the same stops. */
  naiveLength: number;
  /** How the chosen walk was found (`best` reports the winner). */
  method: Exclude<RouteMethod, 'best'> | 'sshape+2opt' | 'return+2opt';
};

export const EXACT_MAX_STOPS = 9;
/** Up to this many stops, `best` also restarts nearest neighbour from every first stop. */
const MULTI_START_MAX_STOPS = 30;

type Problem = { codes: string[]; points: Point[]; dist: Float64Array; size: number };

/** Index 0 is the depot; stops are 1..n. */
function problemOf(layout: Layout, stops: readonly string[]): Problem {
  const codes = [...new Set(stops)];
  const points = [layout.depot, ...codes.map((c) => layout.pointOf(c))];
  const size = points.length;
  const dist = new Float64Array(size * size);
  for (let i = 0; i < size; i++)
    for (let j = i + 1; j < size; j++) {
      const d = walkDistance(layout, points[i]!, points[j]!);
      dist[i * size + j] = d;
      dist[j * size + i] = d;
    }
  return { codes, points, dist, size };
}

/** Length of depot -> tour -> depot, where `tour` holds stop indices (1..n). */
function tourLength(p: Problem, tour: readonly number[]): number {
  let length = 0;
  let prev = 0;
  for (const s of tour) {
    length += p.dist[prev * p.size + s]!;
    prev = s;
  }
  return length + p.dist[prev * p.size]!;
}

function stopIndices(p: Problem): number[] {
  return Array.from({ length: p.codes.length }, (_, i) => i + 1);
}

function naiveTour(p: Problem): number[] {
  return stopIndices(p).sort((a, b) => (p.codes[a - 1]! < p.codes[b - 1]! ? -1 : 1));
}

/** Stops grouped by aisle, aisles left to right (ties by aisle index). */
function byAisle(p: Problem): number[][] {
  const groups = new Map<number, number[]>();
  for (const s of stopIndices(p)) {
    const aisle = p.points[s]!.aisle;
    const list = groups.get(aisle) ?? [];
    list.push(s);
    groups.set(aisle, list);
  }
  return [...groups.entries()]
    .sort(([a, sa], [b, sb]) => p.points[sa[0]!]!.x - p.points[sb[0]!]!.x || a - b)
    .map(([, list]) => list);
}

function sShapeTour(p: Problem): number[] {
  const tour: number[] = [];
  byAisle(p).forEach((list, i) => {
    const up = [...list].sort((a, b) => p.points[a]!.y - p.points[b]!.y);
    tour.push(...(i % 2 === 0 ? up : up.reverse()));
  });
  return tour;
}

function returnTour(p: Problem): number[] {
  return byAisle(p).flatMap((list) => [...list].sort((a, b) => p.points[a]!.y - p.points[b]!.y));
}

/** Nearest neighbour from the depot, or with `first` as the first stop. */
function nearestNeighbourTour(p: Problem, first?: number): number[] {
  const left = new Set(stopIndices(p));
  const tour: number[] = [];
  let at = 0;
  if (first !== undefined) {
    tour.push(first);
    left.delete(first);
    at = first;
  }
  while (left.size > 0) {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    for (const s of left) {
      const d = p.dist[at * p.size + s]!;
      if (d < bestD || (d === bestD && s < best)) {
        best = s;
        bestD = d;
      }
    }
    tour.push(best);
    left.delete(best);
    at = best;
  }
  return tour;
}

const EPS = 1e-9;

/** 2-opt on the closed walk depot + tour; returns true when it changed something. */
function twoOpt(p: Problem, tour: number[]): boolean {
  const walk = [0, ...tour, 0];
  const n = walk.length;
  let improved = false;
  let again = true;
  while (again) {
    again = false;
    for (let i = 0; i < n - 3; i++) {
      const a = walk[i]!;
      const b = walk[i + 1]!;
      const dab = p.dist[a * p.size + b]!;
      for (let k = i + 2; k < n - 1; k++) {
        const c = walk[k]!;
        const d = walk[k + 1]!;
        const delta = p.dist[a * p.size + c]! + p.dist[b * p.size + d]! - dab - p.dist[c * p.size + d]!;
        if (delta < -EPS) {
          for (let x = i + 1, y = k; x < y; x++, y--) [walk[x], walk[y]] = [walk[y]!, walk[x]!];
          again = true;
          improved = true;
          break;
        }
      }
    }
  }
  tour.splice(0, tour.length, ...walk.slice(1, -1));
  return improved;
}

/** Or-opt: move a segment of 1 to 3 stops (either way round) elsewhere; true when it changed something. */
function orOpt(p: Problem, tour: number[]): boolean {
  const d = (x: number, y: number) => p.dist[x * p.size + y]!;
  let improved = false;
  let again = true;
  while (again) {
    again = false;
    search: for (let len = 1; len <= 3; len++) {
      const walk = [0, ...tour, 0];
      for (let i = 1; i + len - 1 <= tour.length; i++) {
        const first = walk[i]!;
        const last = walk[i + len - 1]!;
        const before = walk[i - 1]!;
        const after = walk[i + len]!;
        const removed = d(before, first) + d(last, after) - d(before, after);
        const rest = [...walk.slice(0, i), ...walk.slice(i + len)];
        for (let j = 0; j < rest.length - 1; j++) {
          if (j === i - 1) continue;
          const u = rest[j]!;
          const v = rest[j + 1]!;
          const base = d(u, v);
          const forward = d(u, first) + d(last, v) - base;
          const backward = d(u, last) + d(first, v) - base;
          const gain = removed - Math.min(forward, backward);
          if (gain > EPS) {
            const segment = walk.slice(i, i + len);
            if (backward < forward) segment.reverse();
            const next = [...rest.slice(0, j + 1), ...segment, ...rest.slice(j + 1)];
            tour.splice(0, tour.length, ...next.slice(1, -1));
            improved = again = true;
            break search;
          }
        }
      }
    }
  }
  return improved;
}

/** Improves a tour in place with 2-opt and Or-opt until neither finds a shorter walk. */
function improve(p: Problem, tour: number[]): number[] {
  for (let round = 0; round < 50; round++) {
    const a = twoOpt(p, tour);
    const b = orOpt(p, tour);
    if (!a && !b) break;
  }
  return tour;
}

function localSearchTour(p: Problem): number[] {
  return improve(p, nearestNeighbourTour(p));
}

/** Branch and bound over all orders: exact, for at most EXACT_MAX_STOPS stops. */
function exactTour(p: Problem): number[] {
  const n = p.codes.length;
  if (n > EXACT_MAX_STOPS)
    throw new AppError(WmsErrors.WMS_ROUTE_TOO_MANY_STOPS, { max: EXACT_MAX_STOPS, count: n });
  let best = localSearchTour(p);
  let bestLength = tourLength(p, best);
  const path: number[] = [];
  const used = new Array<boolean>(n + 1).fill(false);
  const extend = (at: number, length: number) => {
    if (length >= bestLength - EPS) return;
    if (path.length === n) {
      const total = length + p.dist[at * p.size]!;
      if (total < bestLength - EPS) {
        bestLength = total;
        best = [...path];
      }
      return;
    }
    for (let s = 1; s <= n; s++) {
      if (used[s]) continue;
      used[s] = true;
      path.push(s);
      extend(s, length + p.dist[at * p.size + s]!);
      path.pop();
      used[s] = false;
    }
  };
  extend(0, 0);
  return best;
}

const TOURS: Record<Exclude<RouteMethod, 'best'>, (p: Problem) => number[]> = {
  naive: naiveTour,
  sshape: sShapeTour,
  return: returnTour,
  nn2opt: localSearchTour,
  exact: exactTour,
};

/** Orders the stops (bin codes; repeats are visited once) into a walk from and back to the depot. */
export function optimiseRoute(
  layout: Layout,
  stops: readonly string[],
  options: { method?: RouteMethod } = {},
): Route {
  const method = options.method ?? 'best';
  const p = problemOf(layout, stops);
  const naiveLength = tourLength(p, naiveTour(p));
  const candidates: Exclude<RouteMethod, 'best'>[] =
    method === 'best' ? ['naive', 'sshape', 'return', 'nn2opt'] : [method];
  let chosen: Route | undefined;
  const consider = (m: Route['method'], tour: number[]) => {
    const length = tourLength(p, tour);
    if (!chosen || length < chosen.length - EPS)
      chosen = { order: tour.map((s) => p.codes[s - 1]!), length, naiveLength, method: m };
  };
  for (const m of candidates) consider(m, TOURS[m](p));
  if (method === 'best') {
    consider('sshape+2opt', improve(p, sShapeTour(p)));
    consider('return+2opt', improve(p, returnTour(p)));
    // Small walks: restart nearest neighbour from every first stop (cheap, closes the last gaps).
    if (p.codes.length <= MULTI_START_MAX_STOPS)
      for (const first of stopIndices(p)) consider('nn2opt', improve(p, nearestNeighbourTour(p, first)));
  }
  return chosen!;
}

/** Length of a given walk (depot -> stops in this order -> depot). */
export function routeLength(layout: Layout, order: readonly string[]): number {
  const p = problemOf(layout, order);
  return tourLength(p, stopIndices(p));
}
