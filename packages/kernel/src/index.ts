export * from './definitions/kernel-definitions.ts';
export * from './env.ts';
export * from './events/index.ts';
export type * from './events/types.ts';
export * from './kernel.ts';
export * from './processes/index.ts';
export * from './rules/index.ts';
export * from './timers/index.ts';
export * from './types.ts';
