/**
 * The floor under the bulk-import figure: PostgreSQL alone writing again rows the import wrote —
 * each move's idempotency row and ledger row, each receipt's FIFO layer — into copies of the
 * tables with the same indexes, one INSERT … SELECT per table in one transaction, with no client
 * work, no checks, no valuation and no balance updates. A move cannot be posted faster than this on
 * the same server; the import's rate is reported as a share of it.
 */
import { type Database, sql } from '@tenon/db';

const TABLES = ['inv_posting', 'inv_ledger', 'inv_layer'] as const;

export async function ledgerWriteFloor(
  db: Database,
  schema: string,
  moves: number,
): Promise<{ moves: number; seconds: number; movesPerSecond: number }> {
  const floor = `${schema}_floor`;
  const t = (name: string) => sql.id(floor, name);
  await db.run(sql`DROP SCHEMA IF EXISTS ${sql.id(floor)} CASCADE`);
  await db.run(sql`CREATE SCHEMA ${sql.id(floor)}`);
  try {
    // Sources: the first `moves` moves' rows, materialised before the clock starts.
    await db.run(sql`CREATE TABLE ${t('src_posting')} AS
      SELECT * FROM ${sql.id(schema, 'inv_posting')} ORDER BY move_id LIMIT ${moves}`);
    await db.run(sql`CREATE TABLE ${t('src_ledger')} AS
      SELECT l.* FROM ${sql.id(schema, 'inv_ledger')} l JOIN ${t('src_posting')} p USING (move_id)`);
    await db.run(sql`CREATE TABLE ${t('src_layer')} AS
      SELECT y.* FROM ${sql.id(schema, 'inv_layer')} y JOIN ${t('src_posting')} p USING (move_id)`);
    for (const name of TABLES)
      await db.run(sql`CREATE TABLE ${t(name)} (LIKE ${sql.id(schema, name)} INCLUDING DEFAULTS INCLUDING INDEXES
        INCLUDING CONSTRAINTS)`);
    const { rows } = await db.run<{ n: string }>(sql`SELECT count(*)::text AS n FROM ${t('src_posting')}`);
    const start = performance.now();
    await db.transaction(async (tx) => {
      await tx.run(sql`INSERT INTO ${t('inv_posting')} SELECT * FROM ${t('src_posting')}`);
      await tx.run(sql`INSERT INTO ${t('inv_ledger')} (move_id, line_no, move_type, item_id, warehouse_id,
          company_id, location_id, lot_id, serial_id, quantity, value, posting_date, source_type, source_id)
        SELECT move_id, line_no, move_type, item_id, warehouse_id, company_id, location_id, lot_id, serial_id,
          quantity, value, posting_date, source_type, source_id FROM ${t('src_ledger')} ORDER BY seq`);
      await tx.run(sql`INSERT INTO ${t('inv_layer')} (item_id, company_id, move_id, posting_date, quantity,
          remaining, remaining_value, unit_cost)
        SELECT item_id, company_id, move_id, posting_date, quantity, remaining, remaining_value, unit_cost
        FROM ${t('src_layer')} ORDER BY seq`);
    });
    const seconds = (performance.now() - start) / 1000;
    const n = Number(rows[0]!.n);
    return { moves: n, seconds, movesPerSecond: n / seconds };
  } finally {
    await db.run(sql`DROP SCHEMA IF EXISTS ${sql.id(floor)} CASCADE`);
  }
}
