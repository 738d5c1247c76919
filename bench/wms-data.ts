/** Seeded synthetic warehouse data for the WMS benchmarks: the same seed gives the same orders. */
import { gridLayout, type Layout, type WaveOrder } from '@tenon/wms';

/** mulberry32: a small deterministic PRNG (benchmark data only). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 40 aisles x 50 bins = 2,000 bins, 3 m between aisles, 1 m per slot, a zone every 10 aisles. */
export function benchLayout(): Layout {
  return gridLayout({ aisles: 40, binsPerAisle: 50, aisleSpacing: 3, slotDepth: 1, zoneEvery: 10 });
}

/** `count` orders of `linesPerOrder` lines; each item lives in one bin (item i in bin i). */
export function benchOrders(layout: Layout, count: number, linesPerOrder: number, seed: number): WaveOrder[] {
  const random = prng(seed);
  const bins = [...layout.binByCode.keys()];
  const carriers = ['SF', 'JD', 'ZTO'];
  return Array.from({ length: count }, (_, o) => {
    const id = `SO-${String(o + 1).padStart(5, '0')}`;
    const used = new Set<number>();
    while (used.size < linesPerOrder) used.add(Math.floor(random() * bins.length));
    return {
      id,
      carrier: carriers[o % carriers.length]!,
      route: 'R1',
      priority: Math.floor(random() * 3),
      cutoff: '2026-11-26T10:00:00Z',
      lines: [...used].map((b, i) => ({
        lineId: `${id}-${i + 1}`,
        item: `ITEM-${String(b).padStart(4, '0')}`,
        bin: bins[b]!,
        quantity: String(1 + Math.floor(random() * 5)),
        uom: 'PCS',
      })),
    };
  });
}

/** `count` distinct random bins. */
export function benchStops(layout: Layout, count: number, seed: number): string[] {
  const random = prng(seed);
  const bins = [...layout.binByCode.keys()];
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(bins[Math.floor(random() * bins.length)]!);
  return [...chosen];
}
