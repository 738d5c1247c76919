/** Submitting an ASN: checks its lines, fixes the receiving bin and opens the clerk's receive task. */
import { Decimal } from '@tenon/core';
import { sql } from '@tenon/db';
import type { CompiledEntity, RecordData } from '@tenon/design';
import { bad, one, patchIn, reload, requireStatus, rows, type Scope, t } from './records.ts';
import { openTask } from './tasks.ts';

export async function submitAsn(s: Scope, entity: CompiledEntity, asn: RecordData): Promise<RecordData> {
  requireStatus('asn', asn, ['draft'], 'submit');
  const lines = await rows<{ quantity: string }>(
    s,
    sql`SELECT quantity::text AS quantity FROM ${t(s, 'asn_line')} WHERE parent_id = ${asn.id as string}::uuid`,
  );
  if (lines.length === 0) throw bad('lines', 'an ASN needs at least one line');
  if (lines.some((l) => !new Decimal(l.quantity).gt(0))) throw bad('lines.quantity', 'must be positive');
  let receiving = asn.receiving_location as string | null;
  if (!receiving) {
    const found = await rows<{ id: string }>(
      s,
      sql`SELECT id FROM ${t(s, 'location')} WHERE warehouse = ${asn.warehouse as string}::uuid
            AND bin_type = 'receiving' AND active IS NOT FALSE ORDER BY code LIMIT 1`,
    );
    if (!found[0]) throw bad('receiving_location', 'the warehouse has no receiving bin');
    receiving = found[0].id;
  } else {
    const loc = await one<{ warehouse: string }>(s, 'location', receiving);
    if (loc.warehouse !== asn.warehouse) throw bad('receiving_location', 'is not in the warehouse');
  }
  const pid = await openTask(s.tx, s.ctx, entity, {
    service: 'wms_receive',
    entity: 'asn',
    recordId: asn.id as string,
  });
  await patchIn(s, 'asn', asn.id as string, {
    status: 'submitted',
    receiving_location: receiving,
    process_id: pid,
  });
  return reload(s, 'asn', asn.id as string);
}
