/** `tenon inventory check`: runs the consistency check in every tenant; returns the number of drifts. */
import { type Executor, sql } from '@tenon/db';
import { checkInventory } from './check-inventory.service.ts';

export async function inventoryCheckCommand(
  db: Executor,
  tenants: { name: string; schemaName: string }[],
  print: (line: string) => void,
): Promise<number> {
  let drifts = 0;
  for (const tenant of tenants) {
    const { rows } = await db.run<{ t: string | null }>(
      sql`SELECT to_regclass(${`"${tenant.schemaName}".inv_ledger`})::text AS t`,
    );
    if (!rows[0]?.t) continue;
    const report = await checkInventory(db, tenant.schemaName);
    drifts += report.drift.length;
    print(`${tenant.name}: ${report.checked} balances checked, ${report.drift.length} drift`);
    for (const d of report.drift)
      print(`  ${d.kind} ${d.key}: ledger says ${d.expected}, stored ${d.actual}`);
  }
  print(drifts === 0 ? 'inventory check: no drift' : `inventory check: ${drifts} drift(s)`);
  return drifts;
}
