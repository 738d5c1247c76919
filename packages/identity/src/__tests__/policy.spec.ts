import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADMIN_ROLE, bindUser, compilePolicy, type Principal, type RoleDef } from '../policy.ts';

const clerk: RoleDef = {
  name: 'warehouse_clerk',
  label: { 'zh-CN': '仓库文员', en: 'Warehouse clerk' },
  permissions: [{ entity: 'item', actions: ['read'], hiddenFields: ['standard_cost'] }],
};
const supplierPortal: RoleDef = {
  name: 'supplier_portal',
  label: { 'zh-CN': '供应商门户', en: 'Supplier portal' },
  permissions: [
    {
      entity: 'asn',
      actions: ['read', 'create', 'update'],
      where: { field: 'supplier', op: 'eq', value: '$user.supplier' },
    },
  ],
};
const auditor: RoleDef = {
  name: 'auditor',
  label: { en: 'Auditor' },
  permissions: [{ entity: '*', actions: ['read', 'export'], readOnlyFields: ['note'] }],
};

const who = (roles: string[], attributes: Record<string, unknown> = {}): Principal => ({
  userId: 'u1',
  username: 'li',
  tenant: 'demo',
  roles,
  attributes,
});

describe('compilePolicy', () => {
  const roles = [ADMIN_ROLE, clerk, supplierPortal, auditor];

  it('denies by default', () => {
    const p = compilePolicy(roles, who([]));
    assert.equal(p.decide('item', 'read').allowed, false);
    assert.match(p.decide('item', 'read').reasons[0]!, /no role/);
  });

  it('grants per entity and action, and hides fields', () => {
    const p = compilePolicy(roles, who(['warehouse_clerk']));
    const read = p.decide('item', 'read');
    assert.equal(read.allowed, true);
    assert.equal(read.rowFilter, null);
    assert.deepEqual([...read.hiddenFields], ['standard_cost']);
    assert.equal(p.decide('item', 'update').allowed, false);
    assert.equal(p.decide('customer', 'read').allowed, false);
  });

  it('binds the user into row conditions', () => {
    const p = compilePolicy(roles, who(['supplier_portal'], { supplier: 's-42' }));
    assert.deepEqual(p.decide('asn', 'read').rowFilter, { field: 'supplier', op: 'eq', value: 's-42' });
  });

  it('a row condition on an attribute the user lacks matches nothing', () => {
    const p = compilePolicy(roles, who(['supplier_portal']));
    assert.deepEqual(p.decide('asn', 'read').rowFilter, { field: 'id', op: 'null', value: true });
  });

  it('an unrestricted grant wins over a restricted one; hidden fields only when every grant hides them', () => {
    const p = compilePolicy(roles, who(['warehouse_clerk', 'auditor']));
    const read = p.decide('item', 'read');
    assert.equal(read.rowFilter, null);
    assert.deepEqual([...read.hiddenFields], []);
  });

  it('wildcards cover entities but not platform resources, except for admin', () => {
    const auditorPolicy = compilePolicy(roles, who(['auditor']));
    assert.equal(auditorPolicy.decide('sales_order', 'read').allowed, true);
    assert.equal(auditorPolicy.decide('$security', 'read').allowed, false);
    const admin = compilePolicy(roles, who(['admin']));
    assert.equal(admin.decide('$security', 'update').allowed, true);
    assert.equal(admin.decide('sales_order', 'confirm').allowed, true);
  });
});

describe('bindUser', () => {
  it('keeps plain values, binds lists, drops or-branches the user cannot satisfy', () => {
    const principal = who([], { companies: ['c1', 'c2'] });
    assert.deepEqual(bindUser({ field: 'company', op: 'in', value: '$user.companies' }, principal), {
      field: 'company',
      op: 'in',
      value: ['c1', 'c2'],
    });
    assert.deepEqual(
      bindUser(
        {
          or: [
            { field: 'owner', op: 'eq', value: '$user.id' },
            { field: 'x', op: 'eq', value: '$user.none' },
          ],
        },
        principal,
      ),
      { or: [{ field: 'owner', op: 'eq', value: 'u1' }] },
    );
    assert.equal(bindUser({ and: [{ field: 'x', op: 'eq', value: '$user.none' }] }, principal), null);
  });
});
