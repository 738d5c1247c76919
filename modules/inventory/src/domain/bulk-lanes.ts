/**
 * Splits a bulk import into lanes that share no stock row, so that their batches can write at the
 * same time on separate connections (decision 0013's second addendum). Every row a move locks is
 * keyed by an item (stock, balance, valuation, FIFO layers, revaluation job, a serial's advisory
 * lock), so moves are grouped by connected items: two moves naming one item, or one move naming
 * two items, are in one group. Moves repeating an idempotency key are grouped too, so that the
 * first of them in the input posts and the others replay, as in a single lane. Groups are then
 * dealt to the lanes, largest first, to the lane with fewest moves. Each lane keeps its moves in
 * input order.
 */
export type LaneMove = { idempotencyKey: string; lines: { item: string }[] };

export function splitLanes<T extends { m: LaneMove }>(entries: T[], lanes: number): T[][] {
  if (lanes <= 1 || entries.length === 0) return [entries];
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let y = x; y !== root; ) {
      const next = parent.get(y)!;
      parent.set(y, root);
      y = next;
    }
    return root;
  };
  const add = (x: string) => {
    if (!parent.has(x)) parent.set(x, x);
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const { m } of entries) {
    const key = `k:${m.idempotencyKey}`;
    add(key);
    for (const l of m.lines ?? []) {
      const item = `i:${String(l.item)}`;
      add(item);
      union(key, item);
    }
  }
  const groups = new Map<string, T[]>();
  for (const e of entries) {
    const root = find(`k:${e.m.idempotencyKey}`);
    const group = groups.get(root);
    if (group) group.push(e);
    else groups.set(root, [e]);
  }
  if (groups.size === 1) return [entries];
  const sizes = Array.from({ length: lanes }, () => 0);
  const laneOf = new Map<string, number>();
  for (const [root, group] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    let lane = 0;
    for (let i = 1; i < lanes; i++) if (sizes[i]! < sizes[lane]!) lane = i;
    sizes[lane]! += group.length;
    laneOf.set(root, lane);
  }
  const out = Array.from({ length: lanes }, () => [] as T[]);
  for (const e of entries) out[laneOf.get(find(`k:${e.m.idempotencyKey}`))!]!.push(e);
  return out.filter((lane) => lane.length > 0);
}
