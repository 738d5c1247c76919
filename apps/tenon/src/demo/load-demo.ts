/** Loads the demo definitions and a few records into a tenant (idempotent: skips what exists). */
import { applyDefinitions, createRecordIn, systemContext } from '@tenon/design';
import { loadWmsDemo } from '@tenon/wms';
import type { System } from '../boot.ts';
import { ensureTenant } from '../boot.ts';
import { demoDefinitions } from './demo-definitions.ts';
import { loadInventoryDemo } from './inventory-demo.ts';
import { loadKernelDemoDefinitions, loadKernelDemoRecords } from './kernel-demo.ts';

export async function loadDemo(system: System, tenantName: string): Promise<{ created: boolean }> {
  const tenant = await ensureTenant(system, tenantName);
  let metamodel = await system.metamodels.forTenant(tenant);
  if (metamodel.find('customer')) return { created: false };
  await applyDefinitions(system.db, metamodel, demoDefinitions, { mode: 'create', user: 'demo' });
  system.metamodels.invalidate(tenant.name);
  await loadKernelDemoDefinitions(system, tenant);
  metamodel = await system.metamodels.forTenant(tenant);
  const ctx = systemContext({
    db: system.db,
    metamodel,
    locale: 'zh-CN',
    actor: { userId: null, username: 'demo' },
  });
  await system.db.transaction(async (tx) => {
    const customers = [];
    for (const c of [
      { name: '上海精密机械有限公司', phone: '021-5555-0101', level: 'A', credit_limit: '500000.00' },
      { name: '杭州丽颜医疗美容诊所', phone: '0571-8888-0202', level: 'B', credit_limit: '80000.00' },
      { name: 'Shenzhen Bright Parts Co.', phone: '0755-6666-0303', level: 'C' },
    ]) {
      customers.push(await createRecordIn(tx, ctx, metamodel.get('customer'), c));
    }
    const products = [];
    for (const p of [
      { name: '不锈钢轴承 6204', unit: 'pcs', price: '12.50' },
      { name: '玻尿酸填充剂 1ml', unit: 'box', price: '1280.00' },
      { name: 'M8 hex bolt', unit: 'pcs', price: '0.35' },
    ]) {
      products.push(await createRecordIn(tx, ctx, metamodel.get('product'), p));
    }
    await createRecordIn(tx, ctx, metamodel.get('sales_order'), {
      customer: customers[0]!.id,
      note: '首单 / first order',
      lines: [
        { product: products[0]!.id, quantity: '200', unit_price: '12.50' },
        { product: products[2]!.id, quantity: '1000', unit_price: '0.35' },
      ],
    });
  });
  await loadKernelDemoRecords(system, tenant, ctx);
  await loadInventoryDemo(system, tenant, ctx);
  await loadWmsDemo(system.db, ctx);
  return { created: true };
}
