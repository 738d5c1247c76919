export * from './cron-service.ts';
export * from './errors.ts';
export * from './schedule-timer.ts';
export * from './timer-loop.ts';
