/**
 * An `expiry_review` process per lot with stock that expires within the horizon, unless one is
 * still open for that lot (idempotent: a second scan the same day creates nothing).
 */
import type { Clock } from '@tenon/core';
import { sql, type Tx } from '@tenon/db';
import { loadObjects, type TenantMetamodel } from '@tenon/design';
import { createProcess, type KernelEnv } from '@tenon/kernel';
import { EXPIRY_SERVICE } from '../expiry-objects.ts';
import { expiringLots } from './stock-analysis.service.ts';

export async function createExpiryTasksIn(
  tx: Tx,
  k: {
    metamodel: TenantMetamodel;
    clock: Clock;
    actor: KernelEnv['actor'];
    today: string;
    withinDays: number;
  },
): Promise<string[]> {
  const schema = k.metamodel.tenant.schemaName;
  const lots = await expiringLots(tx, schema, { today: k.today, withinDays: k.withinDays });
  if (lots.length === 0) return [];
  const { rows: open } = await tx.run<{ record_id: string }>(
    sql`SELECT record_id FROM ${sql.id(schema, '_process')}
        WHERE service = ${EXPIRY_SERVICE} AND entity = 'lot' AND state <> 'TERMINATED'
          AND record_id IN (${sql.join(lots.map((l) => sql`${l.lot}::uuid`))})`,
  );
  const taken = new Set(open.map((r) => r.record_id));
  const objects = await loadObjects(tx, schema);
  const env: KernelEnv = {
    metamodel: k.metamodel,
    clock: k.clock,
    actor: k.actor,
    definitions: {
      tenant: k.metamodel.tenant,
      services: new Map(
        objects.filter((o) => o.kind === 'service').map((o) => [o.name, o.definition as never]),
      ),
      resourceTypes: new Map(
        objects.filter((o) => o.kind === 'resource_type').map((o) => [o.name, o.definition as never]),
      ),
      rules: [],
    },
  };
  const created: string[] = [];
  for (const lot of lots) {
    if (taken.has(lot.lot)) continue;
    const p = await createProcess(tx, env, {
      service: EXPIRY_SERVICE,
      entity: 'lot',
      recordId: lot.lot,
      // Expired lots first.
      priority: lot.expired ? 90 : 60,
      context: { lot: lot.code, item: lot.item, expiresOn: lot.expires_on, onHand: lot.on_hand },
    });
    created.push(p.pid);
  }
  return created;
}
