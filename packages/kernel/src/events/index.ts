export * from './delivery-policy.ts';
export * from './live-bus.ts';
export * from './outbox-dispatcher.ts';
