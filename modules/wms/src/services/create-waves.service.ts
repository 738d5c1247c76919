/**
 * Waving reserved delivery orders of a warehouse by a rule (carrier, route, priority, cut-off window,
 * size limits: domain `planWaves`). Orders beyond the horizon stay unwaved for a later wave.
 */
import { sql } from '@tenon/db';
import type { RecordData } from '@tenon/design';
import { planWaves, type WaveOrder, type WaveRule } from '../domain/waves.ts';
import { createIn, patchIn, rows, type Scope, t } from './records.ts';

type OrderRow = {
  id: string;
  carrier: string | null;
  route: string | null;
  priority: number | null;
  cutoff: string | null;
  lines: number;
};

export async function createWaves(
  s: Scope,
  input: { warehouse: string; rule: WaveRule; pickKind?: string; ordersPerList?: number },
): Promise<{ waves: RecordData[]; deferred: string[] }> {
  const now = s.ctx.clock.now();
  const found = await rows<OrderRow>(
    s,
    sql`SELECT o.id, o.carrier, o.route, o.priority, o.cutoff,
          (SELECT count(*)::int FROM ${t(s, 'delivery_order_line')} l WHERE l.parent_id = o.id) AS lines
        FROM ${t(s, 'delivery_order')} o
        WHERE o.warehouse = ${input.warehouse}::uuid AND o.status = 'reserved' AND o.wave IS NULL
        ORDER BY o.id FOR UPDATE`,
  );
  const orders: WaveOrder[] = found.map((o) => ({
    id: o.id,
    carrier: o.carrier ?? '',
    route: o.route ?? '',
    priority: o.priority ?? 50,
    cutoff: o.cutoff ? new Date(o.cutoff).toISOString() : new Date(now.getTime() + 86_400_000).toISOString(),
    lines: Array.from({ length: o.lines }, (_, i) => ({
      lineId: String(i),
      item: '',
      bin: '',
      quantity: '1',
      uom: '',
    })),
  }));
  const plan = planWaves(orders, input.rule, now);
  const waves: RecordData[] = [];
  for (const wave of plan.waves) {
    const carriers = [...new Set(wave.orders.map((o) => o.carrier))];
    const created = await createIn(s, 'wave', {
      warehouse: input.warehouse,
      group_key: wave.key.slice(0, 300),
      carrier: carriers.length === 1 ? carriers[0] || null : null,
      order_count: wave.orders.length,
      line_count: wave.lineCount,
      earliest_cutoff: wave.earliestCutoff,
      late: wave.late,
      pick_kind: input.pickKind ?? 'batch',
      ...(input.ordersPerList ? { orders_per_list: input.ordersPerList } : {}),
    });
    for (const o of wave.orders)
      await patchIn(s, 'delivery_order', o.id, { wave: created.id, status: 'waved' });
    waves.push(created);
  }
  return { waves, deferred: plan.deferred.map((o) => o.id) };
}
