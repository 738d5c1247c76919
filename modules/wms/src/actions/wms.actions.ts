/** The declared actions of the warehouse documents: validated input, one service call each. */
import type { ActionRegistry } from '@tenon/design';
import { cancelAsn, cancelDelivery } from '../services/cancel.service.ts';
import { confirmPick } from '../services/confirm-pick.service.ts';
import { confirmPutaway } from '../services/confirm-putaway.service.ts';
import { billConsumption } from '../services/consignment.service.ts';
import { signalCard } from '../services/kanban.service.ts';
import { packDelivery, shipDelivery } from '../services/pack-ship.service.ts';
import { arriveMilkRun, planMilkRunFor } from '../services/plan-milk-run.service.ts';
import { rejectHeld, releaseHold } from '../services/quality-hold.service.ts';
import { closeAsn, receiveAsn } from '../services/receive-asn.service.ts';
import { closeTransfer, receiveTransfer } from '../services/receive-transfer.service.ts';
import { scopeOf } from '../services/records.ts';
import { releaseWave } from '../services/release-wave.service.ts';
import { confirmMove } from '../services/replenish.service.ts';
import { reserveDelivery } from '../services/reserve-delivery.service.ts';
import { runWavePlan } from '../services/run-wave-plan.service.ts';
import { cancelTransfer, shipTransfer } from '../services/ship-transfer.service.ts';
import { submitAsn } from '../services/submit-asn.service.ts';

export function registerWmsActions(registry: ActionRegistry): void {
  registry.register('asn', 'submit', ({ tx, ctx, entity, record }) =>
    submitAsn(scopeOf(tx, ctx), entity, record),
  );
  registry.register('asn', 'receive', ({ tx, ctx, entity, record, body }) =>
    receiveAsn(scopeOf(tx, ctx), entity, record, body),
  );
  registry.register('asn', 'close', ({ tx, ctx, entity, record }) =>
    closeAsn(scopeOf(tx, ctx), entity, record),
  );
  registry.register('asn', 'cancel', ({ tx, ctx, entity, record }) =>
    cancelAsn(scopeOf(tx, ctx), entity, record),
  );
  registry.register('goods_receipt', 'release_hold', ({ tx, ctx, entity, record }) =>
    releaseHold(scopeOf(tx, ctx), entity, record),
  );
  registry.register('goods_receipt', 'reject', ({ tx, ctx, record }) => rejectHeld(scopeOf(tx, ctx), record));
  registry.register('putaway_task', 'confirm', ({ tx, ctx, entity, record, body }) =>
    confirmPutaway(scopeOf(tx, ctx), entity, record, body),
  );
  registry.register('delivery_order', 'reserve', ({ tx, ctx, record }) =>
    reserveDelivery(scopeOf(tx, ctx), record),
  );
  registry.register('delivery_order', 'pack', ({ tx, ctx, entity, record, body }) =>
    packDelivery(scopeOf(tx, ctx), entity, record, body),
  );
  registry.register('delivery_order', 'ship', ({ tx, ctx, record, body }) =>
    shipDelivery(scopeOf(tx, ctx), record, body),
  );
  registry.register('delivery_order', 'cancel', ({ tx, ctx, record }) =>
    cancelDelivery(scopeOf(tx, ctx), record),
  );
  registry.register('wave_plan', 'run', ({ tx, ctx, entity, record }) =>
    runWavePlan(scopeOf(tx, ctx), entity, record),
  );
  registry.register('move_task', 'confirm', ({ tx, ctx, entity, record, body }) =>
    confirmMove(scopeOf(tx, ctx), entity, record, body),
  );
  registry.register('wave', 'release', ({ tx, ctx, entity, record }) =>
    releaseWave(scopeOf(tx, ctx), entity, record),
  );
  registry.register('pick_list', 'confirm_pick', ({ tx, ctx, entity, record, body }) =>
    confirmPick(scopeOf(tx, ctx), entity, record, body),
  );
  registry.register('transfer_order', 'ship', ({ tx, ctx, entity, record }) =>
    shipTransfer(scopeOf(tx, ctx), entity, record),
  );
  registry.register('transfer_order', 'receive', ({ tx, ctx, entity, record, body }) =>
    receiveTransfer(scopeOf(tx, ctx), entity, record, body),
  );
  registry.register('transfer_order', 'close', ({ tx, ctx, entity, record }) =>
    closeTransfer(scopeOf(tx, ctx), entity, record),
  );
  registry.register('transfer_order', 'cancel', ({ tx, ctx, entity, record }) =>
    cancelTransfer(scopeOf(tx, ctx), entity, record),
  );
  registry.register('consignment_entry', 'bill', ({ tx, ctx, record }) =>
    billConsumption(scopeOf(tx, ctx), record),
  );
  registry.register('kanban_card', 'signal', ({ tx, ctx, record }) => signalCard(scopeOf(tx, ctx), record));
  registry.register('milk_run', 'arrive', ({ tx, ctx, record }) => arriveMilkRun(scopeOf(tx, ctx), record));
  registry.register('milk_run_route', 'plan_run', ({ tx, ctx, record }) =>
    planMilkRunFor(scopeOf(tx, ctx), record),
  );
}
