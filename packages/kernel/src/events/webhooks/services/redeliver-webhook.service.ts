/** Puts a dead delivery back in the queue, attempts counted from zero again. */
import { AppError } from '@tenon/core';
import type { Database } from '@tenon/db';
import { EventErrors } from '../../errors.ts';
import { findDelivery, resetDelivery, type WebhookDelivery } from '../webhook.repository.ts';

export function redeliverWebhook(
  db: Database,
  input: { schema: string; webhookId: string; deliveryId: string },
): Promise<WebhookDelivery> {
  return db.transaction(async (tx) => {
    const delivery = await findDelivery(tx, input.schema, input.webhookId, input.deliveryId);
    if (!delivery)
      throw new AppError(EventErrors.KERNEL_WEBHOOK_DELIVERY_NOT_FOUND, { id: input.deliveryId });
    if (delivery.status !== 'dead') {
      throw new AppError(EventErrors.KERNEL_WEBHOOK_DELIVERY_NOT_DEAD, { status: delivery.status });
    }
    return resetDelivery(tx, input.schema, delivery.id);
  });
}
