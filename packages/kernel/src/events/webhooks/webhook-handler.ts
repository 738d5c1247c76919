/**
 * The dispatcher handler that turns events into webhook deliveries, in the consuming transaction: one
 * pending delivery per matching active webhook, idempotent per (webhook, event).
 */
import type { EventHandler } from '../types.ts';
import { enqueueDeliveries, matchingWebhookIds } from './webhook.repository.ts';
import { webhookBody } from './webhook-rules.ts';

export function createWebhookHandler(options: { onEnqueued?: (schema: string) => void } = {}): EventHandler {
  return {
    name: 'webhooks',
    async handle(tx, event) {
      const ids = await matchingWebhookIds(tx, event.schema, event);
      if (ids.length === 0) return;
      await enqueueDeliveries(tx, event.schema, ids, { id: event.id, body: webhookBody(event) });
      options.onEnqueued?.(event.schema);
    },
  };
}
