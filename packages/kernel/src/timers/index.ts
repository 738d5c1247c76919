export * from './schedule-timer.ts';
export * from './timer-loop.ts';
