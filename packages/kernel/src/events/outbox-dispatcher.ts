/**
 * Delivers the transactional outbox of every tenant to the kernel's event handlers, at least once and,
 * per successful commit, exactly once: each event is claimed with FOR UPDATE SKIP LOCKED, every handler
 * runs inside that transaction, and the row is deleted (with a live notification) in it. A throwing
 * handler rolls the whole delivery back; the failure is counted in a new transaction with a backoff,
 * and the row moves to `_outbox_dead` after `maxAttempts`. Woken by NOTIFY on OUTBOX_CHANNEL, with a
 * poll as a safety net. Several instances may run it on one database.
 */
import type { Clock } from '@tenon/core';
import { type Database, listTenants, OUTBOX_CHANNEL, type Tenant } from '@tenon/db';
import { type Backoff, DEFAULT_BACKOFF, encodeLive, retryDelayMs } from './delivery-policy.ts';
import { claimNext, consume, deadLetter, type OutboxRow, recordFailure } from './outbox.repository.ts';
import type { EventHandler, KernelEvent } from './types.ts';

export type DispatcherLog = (message: string, detail?: Record<string, unknown>) => void;

export type OutboxDispatcherOptions = {
  db: Database;
  clock: Clock;
  handlers?: EventHandler[];
  /** The tenants whose outboxes are delivered; default every tenant of the database. */
  tenants?: () => Promise<Tenant[]>;
  log?: DispatcherLog;
  /** Failed attempts before an event is dead-lettered; default 8. */
  maxAttempts?: number;
  backoff?: Backoff;
  /** Safety-net poll interval; default 1000 ms. */
  pollMs?: number;
};

export class OutboxDispatcher {
  private readonly handlers: EventHandler[] = [];
  private readonly running = new Map<string, Promise<number>>();
  private readonly again = new Set<string>();
  private tenantNames = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private stopped = true;

  constructor(private readonly options: OutboxDispatcherOptions) {
    for (const h of options.handlers ?? []) this.register(h);
  }

  register(handler: EventHandler): void {
    if (this.handlers.some((h) => h.name === handler.name)) throw new Error(`handler ${handler.name} twice`);
    this.handlers.push(handler);
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.unlisten = await this.options.db.listen(OUTBOX_CHANNEL, (schema) => this.wake(schema));
    const tick = () => {
      this.timer = setTimeout(async () => {
        await this.drain().catch((err) => this.log('outbox poll failed', { error: String(err) }));
        if (!this.stopped) tick();
      }, this.options.pollMs ?? 1000);
    };
    tick();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.unlisten?.();
    this.unlisten = null;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Delivers everything available now (one schema, or every tenant); returns how many were delivered. */
  async drain(schema?: string): Promise<number> {
    const schemas = schema ? [schema] : (await this.refreshTenants()).map((t) => t.schemaName);
    let delivered = 0;
    for (const s of schemas) delivered += await this.drainOnce(s);
    return delivered;
  }

  private wake(schema?: string): void {
    if (this.stopped) return;
    this.drain(schema || undefined).catch((err) =>
      this.log('outbox delivery failed', { error: String(err) }),
    );
  }

  /** One drain per schema at a time in this process; a wake-up during a drain runs it once more. */
  private drainOnce(schema: string): Promise<number> {
    const current = this.running.get(schema);
    if (current) {
      this.again.add(schema);
      return current.then(() => 0);
    }
    const run = (async () => {
      let total = 0;
      do {
        this.again.delete(schema);
        total += await this.deliverAvailable(schema);
      } while (this.again.has(schema));
      return total;
    })().finally(() => this.running.delete(schema));
    this.running.set(schema, run);
    return run;
  }

  private async deliverAvailable(schema: string): Promise<number> {
    const failed: string[] = [];
    let delivered = 0;
    for (;;) {
      const outcome = await this.deliverOne(schema, failed);
      if (outcome === 'none') return delivered;
      if (outcome === 'delivered') delivered++;
    }
  }

  private async deliverOne(schema: string, failed: string[]): Promise<'none' | 'delivered' | 'failed'> {
    const { db } = this.options;
    // Resolved before the transaction: on PGlite a query outside it would wait for it.
    const tenant = await this.tenantName(schema);
    let claimed: OutboxRow | null = null;
    try {
      const found = await db.transaction(
        async (tx) => {
          claimed = await claimNext(tx, schema, failed);
          if (!claimed) return false;
          const event = toEvent(schema, tenant, claimed);
          for (const handler of this.handlers) await handler.handle(tx, event);
          const at = event.createdAt;
          const live = encodeLive(schema, { ...event, at });
          await consume(tx, schema, event.id, live);
          return true;
        },
        { retries: 2 },
      );
      return found ? 'delivered' : 'none';
    } catch (err) {
      const row = claimed as OutboxRow | null;
      if (!row) throw err;
      failed.push(row.id);
      await this.fail(schema, row, err);
      return 'failed';
    }
  }

  private async fail(schema: string, row: OutboxRow, err: unknown): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const delayMs = retryDelayMs(row.attempts + 1, this.options.backoff ?? DEFAULT_BACKOFF);
    await this.options.db.transaction(async (tx) => {
      const attempts = await recordFailure(tx, schema, {
        id: row.id,
        seenAttempts: row.attempts,
        delayMs,
        error,
      });
      if (attempts !== null && attempts >= maxAttempts) await deadLetter(tx, schema, row.id);
      this.log(
        attempts !== null && attempts >= maxAttempts ? 'event dead-lettered' : 'event delivery failed',
        {
          schema,
          id: row.id,
          topic: row.topic,
          attempts,
          error,
        },
      );
    });
  }

  private async tenantName(schema: string): Promise<string> {
    if (!this.tenantNames.has(schema)) await this.refreshTenants();
    return this.tenantNames.get(schema) ?? schema.replace(/^t_/, '');
  }

  private async refreshTenants(): Promise<Tenant[]> {
    const tenants = await (this.options.tenants ?? (() => listTenants(this.options.db)))();
    this.tenantNames = new Map(tenants.map((t) => [t.schemaName, t.name]));
    return tenants;
  }

  private log(message: string, detail?: Record<string, unknown>): void {
    this.options.log?.(message, detail);
  }
}

function toEvent(schema: string, tenant: string, row: OutboxRow): KernelEvent {
  return {
    id: row.id,
    schema,
    tenant,
    topic: row.topic,
    entity: row.entity,
    recordId: row.record_id,
    payload: row.payload ?? {},
    actor: row.actor ?? { userId: null, username: 'system' },
    cause: { depth: row.cause?.depth ?? 0, chain: row.cause?.chain ?? [] },
    traceId: row.trace_id,
    createdAt: row.created_at,
  };
}
