/** Marks one of the signed-in user's notifications read (idempotent: the first read time stays). */
import { AppError, type Clock, isUuid } from '@tenon/core';
import type { Database } from '@tenon/db';
import { RuleErrors } from '../errors.ts';
import { markNotificationRead, type Notification } from '../notification.repository.ts';

export async function readNotification(
  db: Database,
  input: { schema: string; id: string; userId: string; roles: string[]; clock: Clock },
): Promise<Notification> {
  if (!isUuid(input.id)) throw new AppError(RuleErrors.KERNEL_NOTIFICATION_NOT_FOUND, { id: input.id });
  const found = await db.transaction((tx) =>
    markNotificationRead(tx, input.schema, { ...input, at: input.clock.now().toISOString() }),
  );
  if (!found) throw new AppError(RuleErrors.KERNEL_NOTIFICATION_NOT_FOUND, { id: input.id });
  return found;
}
