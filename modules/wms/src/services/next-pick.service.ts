/** What the scanner shows next on a pick list: the first open pick in walking order. */
import { Decimal } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';

export type NextPick = {
  sequence: number;
  bin: string;
  item: string;
  itemCode: string;
  itemName: string;
  barcode: string | null;
  quantity: string;
  remaining: number;
} | null;

export async function nextPick(db: Executor, schema: string, listId: string): Promise<NextPick> {
  const t = (n: string) => sql.id(schema, n);
  const { rows } = await db.run<{
    sequence: number;
    bin: string;
    item: string;
    item_code: string;
    item_name: string;
    barcode: string | null;
    quantity: string;
    remaining: number;
  }>(
    sql`SELECT p.sequence, l.code AS bin, p.item, i.code AS item_code, i.name AS item_name, i.barcode,
          sum(p.quantity)::text AS quantity,
          (SELECT count(DISTINCT q.sequence)::int FROM ${t('pick_list_line')} q WHERE q.parent_id = p.parent_id AND q.outcome = 'open') AS remaining
        FROM ${t('pick_list_line')} p JOIN ${t('location')} l ON l.id = p.location JOIN ${t('item')} i ON i.id = p.item
        WHERE p.parent_id = ${listId}::uuid AND p.outcome = 'open'
        GROUP BY p.parent_id, p.sequence, l.code, p.item, i.code, i.name, i.barcode ORDER BY p.sequence LIMIT 1`,
  );
  const r = rows[0];
  return r
    ? {
        sequence: r.sequence,
        bin: r.bin,
        item: r.item,
        itemCode: r.item_code,
        itemName: r.item_name,
        barcode: r.barcode,
        quantity: new Decimal(r.quantity).toFixed(),
        remaining: r.remaining,
      }
    : null;
}
