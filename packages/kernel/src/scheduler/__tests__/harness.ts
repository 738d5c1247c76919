/** A test server (the kernel module installed: tables, the `resource` entity, kinds) and kernel envs. */
import type { Clock } from '@tenon/core';
import type { Database } from '@tenon/db';
import { type Actor, ObjectKindRegistry, SYSTEM_ACTOR, saveObject } from '@tenon/design';
import { createTestServer, type TestServer } from '@tenon/server/testing';
import type { KernelEnv } from '../../env.ts';

export const label = (en: string, zh = en) => ({ 'zh-CN': zh, en });

export type SchedulerHarness = {
  s: TestServer;
  save(kind: 'service' | 'resource_type', definition: Record<string, unknown>): Promise<void>;
  env(actor?: Actor, db?: Database): Promise<KernelEnv>;
  resource(input: Record<string, unknown>): Promise<string>;
};

export async function schedulerHarness(
  clock: Clock,
  options: { db?: Database } = {},
): Promise<SchedulerHarness> {
  const objectKinds = new ObjectKindRegistry();
  const s = await createTestServer({ objectKinds, clock, ...options });
  return {
    s,
    async save(kind, definition) {
      await saveObject(s.db, {
        kinds: objectKinds,
        metamodel: await s.deps.metamodels.forTenant(s.tenant),
        kind,
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
    async resource(input) {
      const res = await s.call('POST', '/api/v1/resource', input);
      if (res.status !== 201 && res.status !== 200) throw new Error(`resource: ${JSON.stringify(res.body)}`);
      return res.body.data.id as string;
    },
  };
}
