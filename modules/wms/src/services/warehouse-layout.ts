/**
 * A warehouse's walking layout from inventory's location tree (read only): bins with x/y, their aisle
 * (the nearest `aisle` ancestor, else their own x), zone and rack; the cross-aisles just outside the
 * bins; the depot at the receiving or shipping bin. Bins without coordinates line up on a virtual
 * aisle at x = 0 in pick-sequence order, so every bin can be routed.
 */
import { sql } from '@tenon/db';
import { type Bin, buildLayout, type Layout } from '../domain/layout.ts';
import { rows, type Scope, t } from './records.ts';

type LocationRow = {
  id: string;
  code: string;
  parent: string | null;
  level: string;
  bin_type: string | null;
  x: string | null;
  y: string | null;
  pick_sequence: number | null;
  capacity_units: number | null;
  capacity_volume: string | null;
  capacity_weight: string | null;
};

export type WarehouseLayout = {
  layout: Layout;
  /** location id -> bin code, and back. */
  codeOf: Map<string, string>;
  idOf: Map<string, string>;
  locations: Map<string, LocationRow>;
};

export async function loadWarehouseLayout(s: Scope, warehouse: string): Promise<WarehouseLayout> {
  const all = await rows<LocationRow>(
    s,
    sql`SELECT id, code, parent, level, bin_type, x::text AS x, y::text AS y, pick_sequence, capacity_units,
          capacity_volume::text AS capacity_volume, capacity_weight::text AS capacity_weight
        FROM ${t(s, 'location')} WHERE warehouse = ${warehouse}::uuid AND active IS NOT FALSE ORDER BY code`,
  );
  const byId = new Map(all.map((r) => [r.id, r]));
  const ancestor = (r: LocationRow, level: string): LocationRow | null => {
    let p = r.parent ? byId.get(r.parent) : undefined;
    for (let i = 0; p && i < 10; i++) {
      if (p.level === level) return p;
      p = p.parent ? byId.get(p.parent) : undefined;
    }
    return null;
  };
  const bins: Bin[] = [];
  const aisles = new Map<string, number>();
  for (const r of all.filter((x) => x.level === 'bin')) {
    const placed = r.x !== null && r.y !== null;
    const aisleRow = ancestor(r, 'aisle');
    const aisleX = placed ? Number(aisleRow?.x ?? r.x) : 0;
    const aisle = placed ? (aisleRow?.code ?? `x=${aisleX}`) : '~';
    aisles.set(aisle, aisleX);
    bins.push({
      code: r.code,
      aisle,
      x: placed ? Number(r.x) : 0,
      y: placed ? Number(r.y) : (r.pick_sequence ?? 0),
      rack: byId.get(r.parent ?? '')?.code ?? '',
      level: '',
      zone: ancestor(r, 'zone')?.code ?? '',
      pickSequence: r.pick_sequence ?? 0,
    });
  }
  const ys = bins.map((b) => b.y);
  const frontY = (ys.length ? Math.min(...ys) : 0) - 1;
  const backY = (ys.length ? Math.max(...ys) : 0) + 1;
  const dock = all.find((r) => r.bin_type === 'shipping' || r.bin_type === 'receiving');
  const depotX = dock?.x !== null && dock?.x !== undefined ? Number(dock.x) : Math.min(0, ...aisles.values());
  const layout = buildLayout({
    aisles: [...aisles].map(([code, x]) => ({ code, x })),
    bins,
    frontY,
    backY,
    depotX,
  });
  return {
    layout,
    codeOf: new Map(all.map((r) => [r.id, r.code])),
    idOf: new Map(all.map((r) => [r.code, r.id])),
    locations: byId,
  };
}
