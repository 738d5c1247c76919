/**
 * The supervision board: the warehouse's open waves with their pick progress and route lengths, the
 * live warehouse tasks per kind and state (kernel processes), and who is working on what.
 */
import { type Executor, sql } from '@tenon/db';
import { listProcesses, type ProcessState } from '@tenon/kernel';
import { wmsServices } from './tasks.ts';

const LIVE: ProcessState[] = ['READY', 'RUNNING', 'WAITING', 'SUSPENDED'];

export type Board = {
  waves: {
    id: string;
    number: string;
    status: string;
    orders: number;
    picks: number;
    picked: number;
    routeLength: string | null;
    naiveLength: string | null;
  }[];
  tasks: Record<string, Partial<Record<ProcessState, number>>>;
  operators: {
    operatorId: string;
    running: number;
    assigned: number;
    tasks: { pid: string; service: string; state: string; recordId: string | null }[];
  }[];
};

export async function warehouseBoard(db: Executor, schema: string, warehouse: string): Promise<Board> {
  const t = (n: string) => sql.id(schema, n);
  const { rows: waves } = await db.run<{
    id: string;
    number: string;
    status: string;
    order_count: number | null;
    picks: number;
    picked: number;
    route_length: string | null;
    naive_length: string | null;
  }>(
    sql`SELECT w.id, w.number, w.status, w.order_count, w.route_length::text AS route_length, w.naive_length::text AS naive_length,
          (SELECT count(*)::int FROM ${t('pick_list_line')} p JOIN ${t('pick_list')} l ON l.id = p.parent_id WHERE l.wave = w.id) AS picks,
          (SELECT count(*)::int FROM ${t('pick_list_line')} p JOIN ${t('pick_list')} l ON l.id = p.parent_id
             WHERE l.wave = w.id AND p.outcome <> 'open') AS picked
        FROM ${t('wave')} w WHERE w.warehouse = ${warehouse}::uuid AND w.status <> 'picked' ORDER BY w.number`,
  );
  const tasks: Board['tasks'] = {};
  const byOperator = new Map<string, Board['operators'][number]>();
  for (const { definition } of wmsServices) {
    const counts: Partial<Record<ProcessState, number>> = {};
    for (const state of LIVE) {
      const { items, total } = await listProcesses(
        db,
        schema,
        { service: definition.name, state },
        { limit: 200, offset: 0 },
      );
      if (total > 0) counts[state] = total;
      for (const p of items.filter((x) => x.operatorId)) {
        const op = byOperator.get(p.operatorId!) ?? {
          operatorId: p.operatorId!,
          running: 0,
          assigned: 0,
          tasks: [],
        };
        if (p.state === 'RUNNING') op.running++;
        else op.assigned++;
        op.tasks.push({ pid: p.pid, service: p.service, state: p.state, recordId: p.recordId });
        byOperator.set(p.operatorId!, op);
      }
    }
    tasks[definition.name] = counts;
  }
  return {
    waves: waves.map((w) => ({
      id: w.id,
      number: w.number,
      status: w.status,
      orders: w.order_count ?? 0,
      picks: w.picks,
      picked: w.picked,
      routeLength: w.route_length,
      naiveLength: w.naive_length,
    })),
    tasks,
    operators: [...byOperator.values()],
  };
}
