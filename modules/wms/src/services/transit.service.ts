/**
 * The company's in-transit stock lives in a warehouse of its own (decision 0065): one per company,
 * created at the first shipment when `wms_transit` has none, with one location per receiving
 * warehouse (`IT-<code>`). Nothing picks, reserves or puts away there: it holds only what is on
 * the road, so inventory's reports show it apart from both ends.
 */
import { sql } from '@tenon/db';
import { createRecordIn, SYSTEM_ACCESS } from '@tenon/design';
import { rows, type Scope, t } from './records.ts';

const system = (s: Scope) => ({ ...s.ctx, access: SYSTEM_ACCESS });
const make = async (s: Scope, entity: string, data: Record<string, unknown>) =>
  (await createRecordIn(s.tx, system(s), s.ctx.metamodel.get(entity), data)).id as string;

async function transitWarehouse(s: Scope, company: string): Promise<string> {
  const known = await rows<{ warehouse: string }>(
    s,
    sql`SELECT warehouse FROM ${t(s, 'wms_transit')} WHERE company = ${company}::uuid`,
  );
  if (known[0]) return known[0].warehouse;
  const c = (
    await rows<{ code: string; name: string }>(
      s,
      sql`SELECT code, name FROM ${t(s, 'company')} WHERE id = ${company}::uuid`,
    )
  )[0]!;
  let code = `IT-${c.code}`.slice(0, 20);
  const taken = await rows(s, sql`SELECT 1 FROM ${t(s, 'warehouse')} WHERE code = ${code}`);
  if (taken.length > 0) code = `IT-${company.replaceAll('-', '').slice(-12)}`;
  const warehouse = await make(s, 'warehouse', {
    code,
    name: `在途 / In transit (${c.name})`.slice(0, 120),
    company,
  });
  await make(s, 'wms_transit', { company, warehouse });
  return warehouse;
}

/** The in-transit location towards a receiving warehouse (created when missing). */
export async function transitLocation(
  s: Scope,
  input: { company: string; toWarehouse: string },
): Promise<{ warehouse: string; location: string }> {
  const warehouse = await transitWarehouse(s, input.company);
  const to = (
    await rows<{ code: string }>(
      s,
      sql`SELECT code FROM ${t(s, 'warehouse')} WHERE id = ${input.toWarehouse}::uuid`,
    )
  )[0]!;
  const code = `IT-${to.code}`;
  const found = await rows<{ id: string }>(
    s,
    sql`SELECT id FROM ${t(s, 'location')} WHERE warehouse = ${warehouse}::uuid AND code = ${code}`,
  );
  const location =
    found[0]?.id ??
    (await make(s, 'location', {
      code,
      name: `在途至 ${to.code} / In transit to ${to.code}`,
      warehouse,
      level: 'bin',
    }));
  return { warehouse, location };
}
