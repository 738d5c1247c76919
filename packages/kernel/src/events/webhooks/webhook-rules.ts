/** Pure rules of webhooks: what a valid definition is, the signed request body. No I/O, no clock. */
import { createHmac } from 'node:crypto';
import type { FieldError } from '@tenon/core';
import type { KernelEvent } from '../types.ts';

export type WebhookInput = {
  name: string;
  url: string;
  /** Topics to send (`record.created`, `timer.fired`, or `*`); empty = every topic. */
  topics: string[];
  /** Only events of this entity; null = any. */
  entity: string | null;
  active: boolean;
  secret?: string;
};

const TOPIC = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*)$/;
const ENTITY = /^_?[a-z][a-z0-9_]*$/;

/** Checks a definition: the full one on create, the changed fields over `current` on update. */
export function checkWebhookInput(
  input: unknown,
  current?: WebhookInput,
): { value: WebhookInput } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { errors: [{ field: '', code: 'invalid', message: 'the body must be a JSON object' }] };
  }
  const raw = { ...current, ...(input as Record<string, unknown>) } as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!['name', 'url', 'topics', 'entity', 'active', 'secret'].includes(key))
      errors.push({ field: key, code: 'unknown_field', message: 'not a webhook field' });
  }
  const { name, url, topics = [], entity = null, active = true, secret } = raw;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100)
    errors.push({ field: 'name', code: 'required', message: 'a name of 1 to 100 characters' });
  if (typeof url !== 'string' || !isHttpUrl(url))
    errors.push({ field: 'url', code: 'invalid', message: 'an http or https URL' });
  if (!Array.isArray(topics) || topics.some((t) => typeof t !== 'string' || !TOPIC.test(t)))
    errors.push({
      field: 'topics',
      code: 'invalid',
      message: 'a list of topics such as record.created, or *',
    });
  if (entity !== null && (typeof entity !== 'string' || !ENTITY.test(entity)))
    errors.push({ field: 'entity', code: 'invalid', message: 'an entity name, or null' });
  if (typeof active !== 'boolean')
    errors.push({ field: 'active', code: 'invalid', message: 'true or false' });
  if (secret !== undefined && (typeof secret !== 'string' || secret.length < 16 || secret.length > 200))
    errors.push({ field: 'secret', code: 'invalid', message: 'a secret of 16 to 200 characters' });
  if (errors.length > 0) return { errors };
  return {
    value: {
      name: (name as string).trim(),
      url: url as string,
      topics: [...new Set(topics as string[])],
      entity: entity as string | null,
      active: active as boolean,
      ...(secret === undefined ? {} : { secret: secret as string }),
    },
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && text.length <= 2000;
  } catch {
    return false;
  }
}

/** What a webhook receives: the event as JSON (ids, topic, record, payload, who, when). */
export function webhookBody(event: KernelEvent): Record<string, unknown> {
  return {
    id: event.id,
    tenant: event.tenant,
    topic: event.topic,
    entity: event.entity,
    recordId: event.recordId,
    payload: event.payload,
    actor: event.actor,
    createdAt: event.createdAt,
  };
}

/** `x-tenon-signature`: `sha256=` + hex HMAC-SHA256 of the exact body bytes with the secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
