/** Changes a webhook's fields (a new secret, if given, replaces the old one). */
import { AppError } from '@tenon/core';
import type { Database } from '@tenon/db';
import { EventErrors } from '../../errors.ts';
import { findWebhook, updateWebhook as saveWebhook, type Webhook } from '../webhook.repository.ts';
import { checkWebhookInput } from '../webhook-rules.ts';

export function updateWebhook(
  db: Database,
  input: { schema: string; id: string; body: unknown; user: string },
): Promise<Webhook> {
  return db.transaction(async (tx) => {
    const current = await findWebhook(tx, input.schema, input.id, true);
    if (!current) throw new AppError(EventErrors.KERNEL_WEBHOOK_NOT_FOUND, { id: input.id });
    const { name, url, topics, entity, active } = current;
    const checked = checkWebhookInput(input.body, { name, url, topics, entity, active });
    if ('errors' in checked) throw new AppError(EventErrors.KERNEL_WEBHOOK_INVALID, {}, checked.errors);
    return saveWebhook(tx, input.schema, input.id, checked.value, input.user);
  });
}
