export * from './services/create-webhook.service.ts';
export * from './services/delete-webhook.service.ts';
export * from './services/redeliver-webhook.service.ts';
export * from './services/update-webhook.service.ts';
export {
  findWebhook,
  listDeliveries,
  listWebhooks,
  type Webhook,
  type WebhookDelivery,
} from './webhook.repository.ts';
export * from './webhook-handler.ts';
export { checkWebhookInput, signBody, type WebhookInput, webhookBody } from './webhook-rules.ts';
export * from './webhook-worker.ts';
