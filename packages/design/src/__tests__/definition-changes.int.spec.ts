/**
 * Two app instances cache one tenant's definitions: a change committed through one is announced, and
 * the other drops its cached metamodel and objects; a rolled-back change announces nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database, Tenant } from '@tenon/db';
import { createTestTenant, openTestDatabase } from '@tenon/db/testing';
import {
  announceDefinitionChange,
  applyDefinitions,
  MetamodelCache,
  ObjectKindRegistry,
  watchDefinitionChanges,
} from '../index.ts';

const until = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 150; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
};

describe('definition changes across instances', () => {
  let db: Database;
  let tenant: Tenant;
  const instanceA = { metamodels: null as unknown as MetamodelCache, objectKinds: new ObjectKindRegistry() };
  const instanceB = { metamodels: null as unknown as MetamodelCache, objectKinds: new ObjectKindRegistry() };
  let stop: () => Promise<void>;

  before(async () => {
    db = await openTestDatabase();
    tenant = await createTestTenant(db);
    instanceA.metamodels = new MetamodelCache(db);
    instanceB.metamodels = new MetamodelCache(db);
    stop = await watchDefinitionChanges(db, instanceB);
  });
  after(async () => {
    await stop();
    await db.close();
  });

  it('invalidates the other instance’s metamodel when an entity changes', async () => {
    const cachedB = await instanceB.metamodels.forTenant(tenant);
    assert.equal(cachedB.find('gadget'), undefined);
    await applyDefinitions(
      db,
      await instanceA.metamodels.forTenant(tenant),
      [
        {
          name: 'gadget',
          label: { en: 'Gadget' },
          fields: [{ name: 'code', label: { en: 'Code' }, kind: 'string' }],
        },
      ],
      { mode: 'create' },
    );
    assert.ok(
      await until(async () => (await instanceB.metamodels.forTenant(tenant)).find('gadget') !== undefined),
      'instance B sees the new entity',
    );
  });

  it('tells the other instance’s object caches which kind changed, only after commit', async () => {
    const heard: string[] = [];
    // Other test files change definitions of their own tenants in the same database meanwhile.
    instanceB.objectKinds.onChanged((t, kind) => {
      if (t === tenant.name) heard.push(`${t}:${kind}`);
    });
    await db
      .transaction(async (tx) => {
        await announceDefinitionChange(tx, tenant.name, 'rule');
        throw new Error('roll back');
      })
      .catch(() => {});
    await db.transaction((tx) => announceDefinitionChange(tx, tenant.name, 'service'));
    assert.ok(await until(() => heard.length > 0));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(heard, [`${tenant.name}:service`]);
  });
});
