export * from './delivery-policy.ts';
export * from './events.migrations.ts';
export * from './live-bus.ts';
export * from './outbox-dispatcher.ts';
