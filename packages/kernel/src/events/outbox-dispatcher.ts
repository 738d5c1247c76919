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
import { type Backoff, DEFAULT_BACKOFF, retryDelayMs } from './delivery-policy.ts';
import { claimBatch, deadLetter, type OutboxRow, recordFailure } from './outbox.repository.ts';
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
  /**
   * Deliveries in flight at once per tenant on PostgreSQL (default 4; PGlite has one connection).
   * Events are claimed in id order, but with more than one consumer (or instance) a later event's
   * handlers may commit before an earlier one's: handlers must not rely on a strict order.
   */
  concurrency?: number;
  /** Events per delivery transaction; default 20 (1 = strictly one event per transaction). */
  batch?: number;
};

export class OutboxDispatcher {
  private readonly handlers: EventHandler[] = [];
  private readonly running = new Map<string, Promise<number>>();
  /** Schemas asked for again during their drain, and whether any asker wanted it exhaustive. */
  private readonly again = new Map<string, boolean>();
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
        await this.drainSchemas(undefined, false).catch((err) =>
          this.log('outbox poll failed', { error: String(err) }),
        );
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

  /**
   * Delivers everything available now (one schema, or every tenant), and what those deliveries cause
   * (events their handlers enqueue): it returns when nothing is left. Returns how many were delivered.
   */
  async drain(schema?: string): Promise<number> {
    return this.drainSchemas(schema, true);
  }

  private async drainSchemas(schema: string | undefined, exhaustive: boolean): Promise<number> {
    const schemas = schema ? [schema] : (await this.refreshTenants()).map((t) => t.schemaName);
    let delivered = 0;
    for (const s of schemas) delivered += await this.drainOnce(s, exhaustive);
    return delivered;
  }

  /**
   * A notification names a schema: only this dispatcher's tenants are delivered (tenants may be split).
   * Wake-ups and polls stop at the first batch that is not full: whatever arrives later announces
   * itself with its own notification, so no consumer spends a transaction finding nothing.
   */
  private wake(schema?: string): void {
    if (this.stopped) return;
    const run = async () => {
      if (!schema) return this.drainSchemas(undefined, false);
      if (!this.tenantNames.has(schema)) await this.refreshTenants();
      return this.tenantNames.has(schema) ? this.drainOnce(schema, false) : 0;
    };
    run().catch((err) => this.log('outbox delivery failed', { error: String(err) }));
  }

  /** One drain per schema at a time in this process; a request during a drain runs it once more. */
  private drainOnce(schema: string, exhaustive: boolean): Promise<number> {
    const current = this.running.get(schema);
    if (current) {
      this.again.set(schema, exhaustive || (this.again.get(schema) ?? false));
      return current.then(() => 0);
    }
    const run = (async () => {
      let total = 0;
      let mode = exhaustive;
      for (;;) {
        total += await this.deliverAvailable(schema, mode);
        const next = this.again.get(schema);
        if (next === undefined) return total;
        this.again.delete(schema);
        mode = next;
      }
    })().finally(() => this.running.delete(schema));
    this.running.set(schema, run);
    return run;
  }

  /**
   * Consumers side by side (SKIP LOCKED keeps them apart), each taking up to `batch` events per
   * transaction: one to begin with, one more (up to `concurrency`) whenever a batch comes back full.
   * When a batch fails, that consumer goes on one event per transaction for the rest of the pass, so
   * the failing event alone is counted and backed off. Exhaustive passes go on until a claim finds
   * nothing; the others end at the first batch that is not full.
   */
  private async deliverAvailable(schema: string, exhaustive: boolean): Promise<number> {
    const failed: string[] = [];
    const max = this.options.db.kind === 'pglite' ? 1 : (this.options.concurrency ?? 4);
    const batch = this.options.batch ?? 20;
    const consumers: Promise<number>[] = [];
    const consumer = async (): Promise<number> => {
      let delivered = 0;
      let size = batch;
      for (;;) {
        const outcome = await this.deliverBatch(schema, failed, size);
        if (outcome === 'none') return delivered;
        if (outcome === 'failed') {
          size = 1;
          continue;
        }
        delivered += outcome;
        if (outcome === size && consumers.length < max) consumers.push(consumer());
        else if (outcome < size && !exhaustive) return delivered;
      }
    };
    consumers.push(consumer());
    let total = 0;
    // The list grows while the first consumers run.
    for (let i = 0; i < consumers.length; i++) total += await (consumers[i] as Promise<number>);
    return total;
  }

  private async deliverBatch(
    schema: string,
    failed: string[],
    size: number,
  ): Promise<number | 'none' | 'failed'> {
    const { db } = this.options;
    // Resolved before the transaction: on PGlite a query outside it would wait for it.
    const tenant = await this.tenantName(schema);
    let claimed: OutboxRow[] = [];
    try {
      const count = await db.transaction(
        async (tx) => {
          claimed = await claimBatch(tx, schema, failed, size);
          for (const row of claimed) {
            const event = toEvent(schema, tenant, row);
            for (const handler of this.handlers) await handler.handle(tx, event);
          }
          return claimed.length;
        },
        { retries: 2 },
      );
      return count === 0 ? 'none' : count;
    } catch (err) {
      const rows = claimed as OutboxRow[];
      if (rows.length === 0) throw err;
      if (rows.length > 1) return 'failed';
      const row = rows[0] as OutboxRow;
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
      // null: another consumer counted this failure already.
      if (attempts === null) return;
      const dead = attempts >= maxAttempts;
      if (dead) await deadLetter(tx, schema, row.id);
      this.log(dead ? 'event dead-lettered' : 'event delivery failed', {
        schema,
        id: row.id,
        topic: row.topic,
        attempts,
        error,
      });
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
