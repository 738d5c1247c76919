/**
 * Sends pending webhook deliveries: POST of the event as JSON, signed with the webhook's secret
 * (`x-tenon-signature: sha256=<hex HMAC of the body>`), with `x-tenon-event`, `x-tenon-delivery` and
 * `x-tenon-timestamp`. A 2xx answer delivers; anything else (or no answer within the timeout) is
 * retried with exponential backoff and jitter, and the delivery is dead after `maxAttempts`.
 */
import type { Clock } from '@tenon/core';
import { type Database, listTenants, type Tenant } from '@tenon/db';
import { type Backoff, retryDelayMs } from '../delivery-policy.ts';
import { type ClaimedDelivery, claimDue, markDelivered, markFailed } from './delivery.repository.ts';
import { signBody } from './webhook-rules.ts';

export type WebhookWorkerOptions = {
  db: Database;
  clock: Clock;
  tenants?: () => Promise<Tenant[]>;
  fetch?: typeof fetch;
  /** Attempts before a delivery is dead; default 8. */
  maxAttempts?: number;
  backoff?: Backoff;
  timeoutMs?: number;
  leaseMs?: number;
  pollMs?: number;
  /** Deliveries sent at once per tenant; default 8. */
  batch?: number;
  log?: (message: string, detail?: Record<string, unknown>) => void;
};

const DEFAULT_BACKOFF: Backoff = { baseMs: 5000, maxMs: 60 * 60_000 };

export class WebhookWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = true;

  constructor(private readonly options: WebhookWorkerOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      this.timer = setTimeout(async () => {
        await this.deliverDue().catch((err) =>
          this.options.log?.('webhook worker failed', { error: String(err) }),
        );
        if (!this.stopped) tick();
      }, this.options.pollMs ?? 1000);
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** Sends every delivery due now (one schema, or every tenant); returns how many were attempted. */
  deliverDue(schema?: string): Promise<number> {
    if (this.running) return this.running.then(() => this.deliverDue(schema));
    const run = this.deliverAll(schema).finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  private async deliverAll(schema?: string): Promise<number> {
    const { db } = this.options;
    const schemas = schema
      ? [schema]
      : (await (this.options.tenants ?? (() => listTenants(db)))()).map((t) => t.schemaName);
    let attempted = 0;
    for (const s of schemas) {
      for (;;) {
        const batch = this.options.batch ?? 8;
        const claimed = await claimDue(db, s, { limit: batch, leaseMs: this.options.leaseMs ?? 60_000 });
        await Promise.all(claimed.map((d) => this.send(s, d)));
        attempted += claimed.length;
        if (claimed.length < batch) break;
      }
    }
    return attempted;
  }

  private async send(schema: string, delivery: ClaimedDelivery): Promise<void> {
    const { db, clock } = this.options;
    const body = JSON.stringify(delivery.event);
    let status: number | null = null;
    let error = '';
    try {
      const res = await (this.options.fetch ?? fetch)(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Tenon-Webhook/1',
          'x-tenon-event': String(delivery.event.topic ?? ''),
          'x-tenon-delivery': delivery.id,
          'x-tenon-timestamp': String(Math.floor(clock.now().getTime() / 1000)),
          'x-tenon-signature': signBody(delivery.secret, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      status = res.status;
      await res.body?.cancel().catch(() => {});
      if (res.status >= 200 && res.status < 300) {
        await markDelivered(db, schema, delivery.id, res.status);
        return;
      }
      error = `HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    const dead = delivery.attempts >= (this.options.maxAttempts ?? 8);
    const delayMs = retryDelayMs(delivery.attempts, this.options.backoff ?? DEFAULT_BACKOFF);
    await markFailed(db, schema, { id: delivery.id, status, error: error.slice(0, 1000), delayMs, dead });
    this.options.log?.(dead ? 'webhook delivery dead' : 'webhook delivery failed', {
      schema,
      delivery: delivery.id,
      attempts: delivery.attempts,
      error,
    });
  }
}
