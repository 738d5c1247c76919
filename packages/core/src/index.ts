export * from './canonical-json.ts';
export * from './combiner.ts';
export * from './decimal.ts';
export * from './envelope.ts';
export * from './errors.ts';
export * from './ids.ts';
export * from './labels.ts';
export * from './time.ts';
