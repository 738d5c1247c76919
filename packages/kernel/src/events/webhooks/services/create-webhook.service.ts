/** Creates a webhook; the secret (given, or generated) is returned this once and never read back. */
import { randomBytes } from 'node:crypto';
import { AppError } from '@tenon/core';
import type { Database } from '@tenon/db';
import { EventErrors } from '../../errors.ts';
import { insertWebhook, type Webhook } from '../webhook.repository.ts';
import { checkWebhookInput } from '../webhook-rules.ts';

export async function createWebhook(
  db: Database,
  input: { schema: string; body: unknown; user: string },
): Promise<Webhook & { secret: string }> {
  const checked = checkWebhookInput(input.body);
  if ('errors' in checked) throw new AppError(EventErrors.KERNEL_WEBHOOK_INVALID, {}, checked.errors);
  const secret = checked.value.secret ?? randomBytes(24).toString('base64url');
  const webhook = await db.transaction((tx) =>
    insertWebhook(tx, input.schema, { ...checked.value, secret }, input.user),
  );
  return { ...webhook, secret };
}
