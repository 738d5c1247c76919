/** Removes a webhook with its delivery history. */
import { AppError } from '@tenon/core';
import type { Database } from '@tenon/db';
import { EventErrors } from '../../errors.ts';
import { deleteWebhook as removeWebhook } from '../webhook.repository.ts';

export async function deleteWebhook(db: Database, input: { schema: string; id: string }): Promise<void> {
  const removed = await db.transaction((tx) => removeWebhook(tx, input.schema, input.id));
  if (!removed) throw new AppError(EventErrors.KERNEL_WEBHOOK_NOT_FOUND, { id: input.id });
}
