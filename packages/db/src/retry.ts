import { AppError, CoreErrors } from '@tenon/core';

/** SQLSTATEs that mean "run the whole transaction again". */
const RETRYABLE = new Set(['40001', '40P01']);

export function isRetryable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && RETRYABLE.has((err as { code?: string }).code ?? '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` again after serialization failures and deadlocks, a bounded number of times. */
export async function withRetry<T>(attempt: () => Promise<T>, retries: number): Promise<T> {
  for (let tried = 0; ; tried++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isRetryable(err)) throw err;
      if (tried >= retries) throw new AppError(CoreErrors.CONCURRENCY_RETRY_EXHAUSTED);
      await sleep(2 ** tried * 5 + Math.floor(Math.random() * 10));
    }
  }
}
