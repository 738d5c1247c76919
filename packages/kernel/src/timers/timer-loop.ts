/**
 * Fires due timers of every tenant: due by the injected clock (tests move time), marked fired in the
 * same transaction that appends their events, skipping rows another instance holds. The table is the
 * state, so timers survive restarts; resolution is the poll interval (default 1 s).
 */
import type { Clock } from '@tenon/core';
import { type Database, listTenants, type Tenant } from '@tenon/db';
import { fireDue } from './timer.repository.ts';

export type TimerLoopOptions = {
  db: Database;
  clock: Clock;
  tenants?: () => Promise<Tenant[]>;
  pollMs?: number;
  /** Timers fired per transaction; default 200. */
  batch?: number;
  log?: (message: string, detail?: Record<string, unknown>) => void;
};

export class TimerLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = true;

  constructor(private readonly options: TimerLoopOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      this.timer = setTimeout(async () => {
        await this.fireDue().catch((err) => this.options.log?.('timer loop failed', { error: String(err) }));
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

  /** Fires every timer due now (one schema or every tenant); returns how many fired. */
  fireDue(schema?: string): Promise<number> {
    if (this.running) return this.running.then(() => this.fireDue(schema));
    const run = this.fireAll(schema).finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  private async fireAll(schema?: string): Promise<number> {
    const { db, clock } = this.options;
    const schemas = schema
      ? [schema]
      : (await (this.options.tenants ?? (() => listTenants(db)))()).map((t) => t.schemaName);
    const batch = this.options.batch ?? 200;
    let fired = 0;
    for (const s of schemas) {
      for (;;) {
        const now = clock.now();
        const n = await db.transaction((tx) => fireDue(tx, s, now, batch));
        fired += n;
        if (n < batch) break;
      }
    }
    return fired;
  }
}
