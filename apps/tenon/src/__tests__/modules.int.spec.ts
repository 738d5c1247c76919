/** Built-in modules register their entities in every tenant; users add custom fields but cannot change the module's. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isAppError, newId } from '@tenon/core';
import { applyDefinitions, createRecord, systemContext } from '@tenon/design';
import { ensureTenant, openSystem, registerModuleDefinitions, type System } from '../boot.ts';
import { loadConfig } from '../config.ts';

describe('built-in modules', () => {
  let dir: string;
  let system: System;
  const tenantName = `m${newId().replaceAll('-', '').slice(-12)}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tenon-modules-'));
    const url = process.env.TEST_DATABASE_URL;
    system = await openSystem(
      loadConfig({
        TENON_DATA_DIR: join(dir, 'data'),
        LOG_LEVEL: 'warn',
        ...(url ? { DATABASE_URL: url } : {}),
      }),
    );
  });
  after(async () => {
    await system.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every tenant gets the company entity, owned by its module', async () => {
    const tenant = await ensureTenant(system, tenantName);
    const metamodel = await system.metamodels.forTenant(tenant);
    const company = metamodel.get('company');
    assert.equal(company.stored.source, 'module:org');
    const created = await createRecord(systemContext({ db: system.db, metamodel }), company, {
      code: 'SH01',
      name: '上海总部',
    });
    assert.equal(created.currency, 'CNY');
  });

  it("a custom field survives the module's re-registration; changing the module's fields is refused", async () => {
    const tenant = await ensureTenant(system, tenantName);
    let metamodel = await system.metamodels.forTenant(tenant);
    const current = metamodel.get('company').stored.def;
    const custom = { name: 'region', label: { 'zh-CN': '区域', en: 'Region' }, kind: 'string' };
    await applyDefinitions(system.db, metamodel, [{ name: 'company', fields: [...current.fields, custom] }], {
      mode: 'update',
    });
    system.metamodels.invalidate(tenant.name);
    await registerModuleDefinitions(system, tenant);
    system.metamodels.invalidate(tenant.name);
    metamodel = await system.metamodels.forTenant(tenant);
    assert.ok(metamodel.get('company').fields.has('region'));

    const changed = current.fields.map((f) => (f.name === 'name' ? { ...f, maxLength: 10 } : f));
    await assert.rejects(
      applyDefinitions(system.db, metamodel, [{ name: 'company', fields: changed }], {
        mode: 'update',
        confirm: true,
      }),
      (err: unknown) => isAppError(err) && err.code === 'META_ENTITY_OWNED_BY_MODULE',
    );
  });
});
