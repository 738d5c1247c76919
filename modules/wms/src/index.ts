/**
 * @tenon/wms: warehouse operations on inventory and the kernel. Inbound (ASN, receiving by scan,
 * putaway tasks), outbound (delivery orders, reservation, waves, batch pick lists on optimised
 * routes, pick by scan, packing, shipping), Milk-Run and VMI with a supplier portal. Every person's
 * task is a kernel process. The pure domain lives in `domain/`. See docs/wms.md.
 */
import { defineModule } from '@tenon/design';
import { registerWmsActions } from './actions/wms.actions.ts';
import { wmsEntities } from './entities/index.ts';
import { moveTaskRule } from './services/replenish.service.ts';
import { runWavePlanRule } from './services/run-wave-plan.service.ts';
import { wmsServices } from './services/tasks.ts';

export const wmsModule = defineModule({
  name: 'wms',
  label: { 'zh-CN': '仓储', en: 'Warehouse' },
  entities: wmsEntities,
  registerActions: registerWmsActions,
  objects: [...wmsServices, runWavePlanRule, moveTaskRule],
});

export { loadWmsDemo, type WmsDemo } from './demo/wms-demo.ts';
export * from './domain/errors.ts';
export * from './domain/layout.ts';
export * from './domain/milk-run.ts';
export * from './domain/pick-lists.ts';
export * from './domain/putaway.ts';
export * from './domain/replenishment.ts';
export * from './domain/routing.ts';
export * from './domain/schedule.ts';
export * from './domain/short-pick.ts';
export * from './domain/waves.ts';
export { wmsRoutes } from './routes/wms.routes.ts';
export { SUPPLIER_PORTAL_ROLE } from './services/portal.service.ts';
export { wmsEntities };
