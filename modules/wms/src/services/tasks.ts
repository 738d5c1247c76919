/**
 * People's warehouse tasks as kernel processes bound to their record (receive, put away, pick, pack,
 * exceptions), so they appear in every operator's task list. Opened and finished inside the caller's
 * transaction: the task and the business step commit together.
 */
import type { Executor, Tx } from '@tenon/db';
import { type CompiledEntity, loadObjects, type RecordContext } from '@tenon/design';
import {
  createProcess,
  getProcess,
  type KernelEnv,
  type ServiceDef,
  type TenantKernelDefinitions,
  transitionProcess,
} from '@tenon/kernel';

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/** The module-owned `service` objects (one per kind of task). */
export const wmsServices = [
  {
    name: 'wms_receive',
    label: label('收货', 'Receive'),
    bindsTo: 'asn',
    role: 'warehouse_clerk',
    priority: 60,
    slaMinutes: 240,
  },
  {
    name: 'wms_receive_transfer',
    label: label('调拨收货', 'Receive a transfer'),
    bindsTo: 'transfer_order',
    role: 'warehouse_clerk',
    priority: 60,
    slaMinutes: 240,
  },
  {
    name: 'wms_putaway',
    label: label('上架', 'Put away'),
    bindsTo: 'putaway_task',
    role: 'warehouse_clerk',
    priority: 50,
    slaMinutes: 120,
  },
  {
    name: 'wms_pick',
    label: label('拣货', 'Pick'),
    bindsTo: 'pick_list',
    role: 'picker',
    priority: 70,
    slaMinutes: 60,
  },
  {
    name: 'wms_pack',
    label: label('装箱', 'Pack'),
    bindsTo: 'delivery_order',
    role: 'packer',
    priority: 60,
    slaMinutes: 60,
  },
  {
    name: 'wms_move',
    label: label('移库', 'Move stock'),
    bindsTo: 'move_task',
    role: 'warehouse_clerk',
    priority: 55,
    slaMinutes: 60,
  },
  {
    name: 'wms_exception',
    label: label('拣货异常处理', 'Pick exception'),
    bindsTo: 'pick_list',
    role: 'warehouse_supervisor',
    priority: 80,
    slaMinutes: 60,
  },
].map((definition) => ({ kind: 'service', definition }));

/** The tenant's service definitions, read once per transaction (a wave opens many tasks). */
const servicesOf = new WeakMap<object, Promise<ReadonlyMap<string, ServiceDef>>>();

async function kernelEnv(tx: Executor, ctx: RecordContext, entity: CompiledEntity): Promise<KernelEnv> {
  const tenant = entity.tenant;
  let services = servicesOf.get(tx);
  if (!services) {
    services = loadObjects(tx, tenant.schemaName, 'service').then(
      (objects) => new Map(objects.map((o) => [o.name, o.definition as unknown as ServiceDef])),
    );
    servicesOf.set(tx, services);
  }
  const definitions: TenantKernelDefinitions = {
    tenant,
    services: await services,
    resourceTypes: new Map(),
    rules: [],
  };
  return { metamodel: ctx.metamodel, definitions, clock: ctx.clock, actor: ctx.actor };
}

export async function openTask(
  tx: Executor,
  ctx: RecordContext,
  entity: CompiledEntity,
  input: { service: string; entity: string; recordId: string; context?: Record<string, unknown> },
): Promise<string> {
  const env = await kernelEnv(tx, ctx, entity);
  const created = await createProcess(tx as Tx, env, {
    service: input.service,
    entity: input.entity,
    recordId: input.recordId,
    context: input.context ?? {},
  });
  return created.pid;
}

/** Brings the task to done, whoever held it: started by the acting user when nobody had. */
export async function finishTask(
  tx: Executor,
  ctx: RecordContext,
  entity: CompiledEntity,
  pid: string | null | undefined,
): Promise<void> {
  if (!pid) return;
  const env = await kernelEnv(tx, ctx, entity);
  const schema = entity.tenant.schemaName;
  const step = (transition: string, operatorId?: string | null) =>
    transitionProcess(tx as Tx, env, { pid, transition, ...(operatorId ? { operatorId } : {}) });
  let p = await getProcess(tx, schema, pid);
  if (!p || p.state === 'TERMINATED') return;
  if (p.state === 'SUSPENDED') await step('resume');
  if (p.state === 'NEW') await step('admit');
  p = await getProcess(tx, schema, pid);
  if (p?.state === 'READY') {
    const operator = p.operatorId ?? ctx.actor.userId;
    if (!operator) return void (await step('cancel'));
    await step('start', operator);
  }
  await step('complete');
}

/** Cancels a task whose record was cancelled. */
export async function cancelTask(
  tx: Executor,
  ctx: RecordContext,
  entity: CompiledEntity,
  pid: string | null | undefined,
): Promise<void> {
  if (!pid) return;
  const p = await getProcess(tx, entity.tenant.schemaName, pid);
  if (!p || p.state === 'TERMINATED') return;
  await transitionProcess(tx as Tx, await kernelEnv(tx, ctx, entity), {
    pid,
    transition: 'cancel',
    cascade: true,
  });
}
