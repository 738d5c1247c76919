/**
 * The consistency check behind `tenon inventory check`: recomputes every balance, stock total,
 * reservation total and valuation from the ledger (and the FIFO layers) and reports any drift.
 */
import { type Executor, sql } from '@tenon/db';

export type Drift = { kind: string; key: string; expected: string; actual: string };

export async function checkInventory(
  db: Executor,
  schema: string,
): Promise<{ checked: number; drift: Drift[] }> {
  const t = (n: string) => sql.id(schema, n);
  const queries = [
    sql`SELECT 'balance' AS kind, concat_ws('|', coalesce(l.item_id, b.item_id), coalesce(l.location_id, b.location_id),
          coalesce(l.lot_id, b.lot_id), coalesce(l.serial_id, b.serial_id)) AS key,
          coalesce(l.q, 0)::text AS expected, coalesce(b.on_hand, 0)::text AS actual
        FROM (SELECT item_id, location_id, lot_id, serial_id, sum(quantity) AS q FROM ${t('inv_ledger')}
              GROUP BY 1, 2, 3, 4) l
        FULL JOIN ${t('inv_balance')} b USING (item_id, location_id, lot_id, serial_id)
        WHERE coalesce(l.q, 0) <> coalesce(b.on_hand, 0)`,
    sql`SELECT 'stock' AS kind, concat_ws('|', coalesce(l.item_id, s.item_id), coalesce(l.warehouse_id, s.warehouse_id)) AS key,
          coalesce(l.q, 0)::text AS expected, coalesce(s.on_hand, 0)::text AS actual
        FROM (SELECT item_id, warehouse_id, sum(quantity) AS q FROM ${t('inv_ledger')} GROUP BY 1, 2) l
        FULL JOIN ${t('inv_stock')} s USING (item_id, warehouse_id)
        WHERE coalesce(l.q, 0) <> coalesce(s.on_hand, 0)`,
    sql`SELECT 'reserved' AS kind, concat_ws('|', s.item_id, s.warehouse_id) AS key,
          coalesce(r.q, 0)::text AS expected, s.reserved::text AS actual
        FROM ${t('inv_stock')} s
        LEFT JOIN (SELECT item_id, warehouse_id, sum(quantity) AS q FROM ${t('inv_reservation')}
                   WHERE status = 'active' GROUP BY 1, 2) r USING (item_id, warehouse_id)
        WHERE coalesce(r.q, 0) <> s.reserved`,
    sql`SELECT 'valuation' AS kind, concat_ws('|', coalesce(l.item_id, v.item_id), coalesce(l.company_id, v.company_id)) AS key,
          concat(coalesce(l.q, 0), ' @ ', coalesce(l.v, 0)) AS expected, concat(coalesce(v.quantity, 0), ' @ ', coalesce(v.value, 0)) AS actual
        FROM (SELECT item_id, company_id, sum(quantity) AS q, sum(value) AS v FROM ${t('inv_ledger')} GROUP BY 1, 2) l
        FULL JOIN ${t('inv_valuation')} v USING (item_id, company_id)
        WHERE coalesce(l.q, 0) <> coalesce(v.quantity, 0) OR coalesce(l.v, 0) <> coalesce(v.value, 0)`,
    sql`SELECT 'layers' AS kind, concat_ws('|', v.item_id, v.company_id) AS key,
          concat(v.quantity, ' @ ', v.value) AS expected, concat(coalesce(y.q, 0), ' @ ', coalesce(y.v, 0)) AS actual
        FROM ${t('inv_valuation')} v JOIN ${t('item')} i ON i.id = v.item_id AND i.valuation_method = 'fifo'
        LEFT JOIN (SELECT item_id, company_id, sum(remaining) AS q, sum(remaining_value) AS v FROM ${t('inv_layer')}
                   GROUP BY 1, 2) y USING (item_id, company_id)
        WHERE v.quantity <> coalesce(y.q, 0) OR v.value <> coalesce(y.v, 0)`,
  ];
  const drift: Drift[] = [];
  for (const q of queries) drift.push(...(await db.run<Drift>(q)).rows);
  const { rows } = await db.run<{ n: string }>(sql`SELECT count(*)::text AS n FROM ${t('inv_balance')}`);
  return { checked: Number(rows[0]!.n), drift };
}
