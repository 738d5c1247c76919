/**
 * @tenon/wms: warehouse operations. For now the pure domain (layout and walking distances, route
 * optimisation, waves and release schedules, pick lists, short picks, putaway, replenishment,
 * Milk-Run); services, actions and screens build on it. See docs/wms.md.
 */
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
