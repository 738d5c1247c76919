/**
 * Kernel demo data: services (a customer visit needing a person and a meeting room, an order review),
 * resources, a rule that opens an order review for every new sales order, and a few open tasks, so
 * that the task inbox and the resource schedule have something to show after `npm start`.
 */
import { sql, type Tenant } from '@tenon/db';
import { createRecordIn, type RecordContext, SYSTEM_ACTOR, saveObject } from '@tenon/design';
import { createProcess, type KernelEnv } from '@tenon/kernel';
import type { System } from '../boot.ts';

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const HOURS = [['09:00', '12:00'] as const, ['13:00', '18:00'] as const];
const WORKDAYS = {
  timeZone: 'Asia/Shanghai',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, HOURS])),
};

/** Services and the rule: loaded before the demo records, so that the demo order gets its review. */
export async function loadKernelDemoDefinitions(system: System, tenant: Tenant): Promise<void> {
  const save = async (kind: string, definition: Record<string, unknown>) => {
    await saveObject(system.db, {
      kinds: system.objectKinds,
      metamodel: await system.metamodels.forTenant(tenant),
      kind,
      definition,
      mode: 'upsert',
      source: 'demo',
      user: 'demo',
    });
  };
  await save('service', {
    name: 'customer_visit',
    label: label('客户拜访', 'Customer visit'),
    bindsTo: 'customer',
    role: 'admin',
    durationMinutes: 60,
    priority: 60,
    resources: [{ type: 'person' }, { type: 'room' }],
  });
  await save('service', {
    name: 'order_review',
    label: label('订单审核', 'Order review'),
    bindsTo: 'sales_order',
    role: 'admin',
    priority: 70,
  });
  await save('rule', {
    name: 'review_new_orders',
    label: label('新销售订单需审核', 'Review every new sales order'),
    event: { topic: 'record.created', entity: 'sales_order' },
    instructions: [{ do: 'create_process', service: 'order_review', bind: 'event' }],
  });
}

/** Resources and a customer visit to plan for each of the first two customers. */
export async function loadKernelDemoRecords(
  system: System,
  tenant: Tenant,
  ctx: RecordContext,
): Promise<void> {
  const metamodel = ctx.metamodel;
  await system.db.transaction(async (tx) => {
    const make = (entity: string, data: Record<string, unknown>) =>
      createRecordIn(tx, ctx, metamodel.get(entity), data);
    await make('resource', {
      code: 'ROOM-A',
      name: '会议室 A / Meeting room A',
      type: 'room',
      calendar: WORKDAYS,
    });
    await make('resource', {
      code: 'ROOM-B',
      name: '会议室 B / Meeting room B',
      type: 'room',
      calendar: WORKDAYS,
    });
    await make('resource', {
      code: 'SALES-LI',
      name: '李销售 / Li (sales)',
      type: 'person',
      skills: ['sales'],
      calendar: WORKDAYS,
    });
  });

  const env: KernelEnv = {
    metamodel: await system.metamodels.forTenant(tenant),
    definitions: await system.kernel.definitions.forTenant(tenant),
    clock: system.identity.clock,
    actor: SYSTEM_ACTOR,
  };
  const customers = await system.db.run<{ id: string }>(
    sql`SELECT id::text AS id FROM ${sql.id(tenant.schemaName, 'customer')} ORDER BY created_at LIMIT 2`,
  );
  await system.db.transaction(async (tx) => {
    for (const c of customers.rows) {
      await createProcess(tx, env, { service: 'customer_visit', entity: 'customer', recordId: c.id });
    }
  });
}
