/**
 * Inventory: items, warehouses and their location tree, lots and serials, an append-only stock
 * ledger with balances, reservations and valuation (FIFO layers, moving average).
 */
import { defineModule } from '@tenon/design';
import { registerCountActions } from './actions/count-session.actions.ts';
import { registerExpiryScanActions } from './actions/expiry-scan.actions.ts';
import { registerItemActions } from './actions/item.actions.ts';
import { registerStockMoveActions } from './actions/stock-move.actions.ts';
import { countLineEntity, countSessionEntity } from './entities/count-session.entity.ts';
import { expiryScanEntity } from './entities/expiry-scan.entity.ts';
import { itemCategoryEntity, itemEntity } from './entities/item.entity.ts';
import { lotEntity, reorderRuleEntity, serialEntity } from './entities/lot.entity.ts';
import { stockMoveEntity, stockMoveLineEntity } from './entities/stock-move.entity.ts';
import { uomConversionEntity, uomEntity } from './entities/uom.entity.ts';
import { locationEntity, warehouseEntity } from './entities/warehouse.entity.ts';
import { expiryObjects } from './expiry-objects.ts';
import { inventoryMigrations } from './migrations.ts';

export const inventoryEntities = [
  uomEntity,
  itemCategoryEntity,
  itemEntity,
  uomConversionEntity,
  warehouseEntity,
  locationEntity,
  lotEntity,
  serialEntity,
  reorderRuleEntity,
  stockMoveEntity,
  stockMoveLineEntity,
  countSessionEntity,
  countLineEntity,
  expiryScanEntity,
];

export const inventoryModule = defineModule({
  name: 'inventory',
  label: { 'zh-CN': '库存', en: 'Inventory' },
  entities: inventoryEntities,
  migrations: inventoryMigrations,
  registerActions(registry) {
    registerStockMoveActions(registry);
    registerItemActions(registry);
    registerCountActions(registry);
    registerExpiryScanActions(registry);
  },
  objects: expiryObjects,
});

export { classifyAbc } from './domain/abc.ts';
export { isValidEan13 } from './domain/barcode.ts';
export { InventoryErrors } from './errors.ts';
export { EXPIRY_ROLE, EXPIRY_SERVICE } from './expiry-objects.ts';
export { inventoryRoutes } from './routes/inventory.routes.ts';
export {
  type LabelInput,
  lookupScannedCode,
  renderLabel,
  type ScanHit,
} from './services/barcode-label.service.ts';
export {
  type BulkMove,
  type BulkResult,
  bulkPostMoves,
} from './services/bulk-post-moves.service.ts';
export { checkInventory, type Drift } from './services/check-inventory.service.ts';
export { createExpiryTasksIn } from './services/create-expiry-tasks.service.ts';
export { inventoryCheckCommand } from './services/inventory-check-command.ts';
export {
  type PostMoveInput,
  type PostMoveLine,
  postStockMove,
  postStockMoveIn,
} from './services/post-stock-move.service.ts';
export {
  type ReleaseInput,
  releaseReservations,
  releaseReservationsIn,
} from './services/release-reservation.service.ts';
export { type ReserveInput, reserveStock, reserveStockIn } from './services/reserve-stock.service.ts';
export {
  type RevaluationWorker,
  type RevaluationWorkerOptions,
  startRevaluationWorker,
} from './services/revaluation-worker.service.ts';
export {
  DEFAULT_CHUNK,
  revalueChunkIn,
  runRevaluations,
} from './services/revalue-stock.service.ts';
export { reverseStockMove, reverseStockMoveIn } from './services/reverse-stock-move.service.ts';
export {
  abcAnalysis,
  expiringLots,
  reorderSuggestions,
  stockAgeing,
} from './services/stock-analysis.service.ts';
export {
  availability,
  availabilityDetail,
  movementHistory,
  stockBalanceAsOf,
  stockValueAsOf,
} from './services/stock-report.service.ts';
