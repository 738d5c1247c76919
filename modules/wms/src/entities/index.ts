import {
  asnEntity,
  asnLineEntity,
  crossDockEntity,
  putawayTaskEntity,
  receiptEntity,
  supplierEntity,
} from './inbound.entity.ts';
import { moveTaskEntity, pickFaceEntity } from './internal.entity.ts';
import { kanbanCardEntity, kanbanSignalEntity } from './kanban.entity.ts';
import {
  cartonEntity,
  deliveryOrderEntity,
  deliveryOrderLineEntity,
  pickListEntity,
  pickListLineEntity,
  shipmentEntity,
  waveEntity,
  wavePlanEntity,
} from './outbound.entity.ts';
import {
  consignmentEntryEntity,
  milkRunEntity,
  milkRunRouteEntity,
  milkRunStopEntity,
  vmiAgreementEntity,
} from './supply.entity.ts';
import { transferOrderEntity, transferOrderLineEntity, transitEntity } from './transfer.entity.ts';

/** In dependency order: a link's target comes first, except the delivery order <-> wave pair. */
export const wmsEntities = [
  supplierEntity,
  asnEntity,
  asnLineEntity,
  transitEntity,
  transferOrderEntity,
  transferOrderLineEntity,
  receiptEntity,
  putawayTaskEntity,
  waveEntity,
  wavePlanEntity,
  deliveryOrderEntity,
  deliveryOrderLineEntity,
  pickListEntity,
  pickListLineEntity,
  shipmentEntity,
  cartonEntity,
  crossDockEntity,
  milkRunRouteEntity,
  milkRunStopEntity,
  milkRunEntity,
  kanbanCardEntity,
  kanbanSignalEntity,
  vmiAgreementEntity,
  consignmentEntryEntity,
  pickFaceEntity,
  moveTaskEntity,
];
