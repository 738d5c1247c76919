export * from './delivery-policy.ts';
export * from './errors.ts';
export * from './events.migrations.ts';
export * from './live-bus.ts';
export * from './outbox-dispatcher.ts';
export * from './webhooks/index.ts';
