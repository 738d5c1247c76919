import type { WaveOrder } from '../waves.ts';

/** A delivery order with lines `[bin, item, quantity]` (unit PCS). */
export function order(
  id: string,
  lines: [string, string, string][],
  extra: Partial<Omit<WaveOrder, 'id' | 'lines'>> = {},
): WaveOrder {
  return {
    id,
    carrier: 'SF',
    route: 'R1',
    priority: 0,
    cutoff: '2026-11-26T10:00:00Z',
    ...extra,
    lines: lines.map(([bin, item, quantity], i) => ({
      lineId: `${id}-${i + 1}`,
      item,
      bin,
      quantity,
      uom: 'PCS',
    })),
  };
}
