export {
  BUILTIN_RESOURCE_TYPES,
  RESOURCE_CATEGORIES,
  resourceTypeKind,
} from '../definitions/resource-type.kind.ts';
export { resourceEntity } from '../resources/resource.entity.ts';
export * from './domain/calendar.ts';
export * from './domain/capacity.ts';
export * from './domain/pick-resources.ts';
export * from './domain/plan-dispatch.ts';
export { SchedulerErrors } from './errors.ts';
export { releaseAllocations, releaseAllocationsHandler } from './release-allocations.handler.ts';
export { type AllocationRow, listAllocations } from './resource.repository.ts';
export { schedulerMigrations } from './scheduler.migrations.ts';
export { type Booking, type BookSlotInput, bookSlot } from './services/book-slot.service.ts';
export { type DispatchResult, dispatchRound } from './services/dispatch-round.service.ts';
export { type DispatchExplanation, explainDispatch } from './services/explain-dispatch.service.ts';
export { type FreeSlot, findFreeSlots } from './services/find-free-slots.service.ts';
export { resourceSchedule } from './services/resource-schedule.service.ts';
