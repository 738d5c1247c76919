/** A test server with the process tables and the `service` kind, and kernel envs for its tenant. */
import type { Clock } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import { type Actor, ObjectKindRegistry, SYSTEM_ACTOR, saveObject } from '@tenon/design';
import { createTestServer, type TestServer } from '@tenon/server/testing';
import type { KernelEnv } from '../../env.ts';

export const label = (en: string, zh = en) => ({ 'zh-CN': zh, en });

export type ProcessHarness = {
  s: TestServer;
  saveService(definition: Record<string, unknown>): Promise<void>;
  env(actor?: Actor): Promise<KernelEnv>;
  /** Rows of `_process_event` of one process. */
  history(pid: string): Promise<number>;
  /**
   * `process.state_changed` outbox rows of one process written by the open transaction `tx` (a running
   * dispatcher may consume committed ones at any time, so they are counted before commit).
   */
  eventsInTx(tx: Executor, pid: string): Promise<number>;
};

export async function processHarness(clock: Clock): Promise<ProcessHarness> {
  const objectKinds = new ObjectKindRegistry();
  const s = await createTestServer({ objectKinds, clock });
  const harness: ProcessHarness = {
    s,
    async saveService(definition) {
      await saveObject(s.db, {
        kinds: objectKinds,
        metamodel: await s.deps.metamodels.forTenant(s.tenant),
        kind: 'service',
        definition,
        mode: 'upsert',
        user: 'test',
        locale: 'en',
      });
    },
    async env(actor = SYSTEM_ACTOR) {
      return {
        metamodel: await s.deps.metamodels.forTenant(s.tenant),
        definitions: await s.deps.kernel.definitions.forTenant(s.tenant),
        clock,
        actor,
      };
    },
    async history(pid) {
      const h = await s.db.run<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM ${sql.id(s.tenant.schemaName, '_process_event')} WHERE pid = ${pid}`,
      );
      return h.rows[0]!.n;
    },
    async eventsInTx(tx, pid) {
      const e = await tx.run<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM ${sql.id(s.tenant.schemaName, '_outbox')}
          WHERE topic = 'process.state_changed' AND record_id = ${pid} AND xmin = pg_current_xact_id()::xid`,
      );
      return e.rows[0]!.n;
    },
  };
  return harness;
}
