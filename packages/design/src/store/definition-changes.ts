/**
 * Definitions change on one app instance and are cached on all of them: a committed change is
 * announced on DEFINITIONS_CHANNEL (`<tenant>:<kind>`), and every instance drops what it cached.
 */
import { type Database, type Executor, sql } from '@tenon/db';
import type { ObjectKindRegistry } from '../objects/object-kinds.ts';
import type { MetamodelCache } from '../registry.ts';

export const DEFINITIONS_CHANNEL = 'tenon_definitions';

/** Inside the changing transaction: delivered to listeners only if it commits. */
export async function announceDefinitionChange(tx: Executor, tenant: string, kind: string): Promise<void> {
  await tx.run(sql`SELECT pg_notify(${DEFINITIONS_CHANNEL}, ${`${tenant}:${kind}`})`);
}

/** Keeps this instance's caches in step with changes committed by any instance. */
export function watchDefinitionChanges(
  db: Database,
  caches: { metamodels: MetamodelCache; objectKinds: ObjectKindRegistry },
): Promise<() => Promise<void>> {
  return db.listen(DEFINITIONS_CHANNEL, (payload) => {
    const at = payload.lastIndexOf(':');
    if (at <= 0) return;
    const tenant = payload.slice(0, at);
    const kind = payload.slice(at + 1);
    if (kind === 'entity') caches.metamodels.invalidate(tenant);
    else caches.objectKinds.notifyChanged(tenant, kind);
  });
}
