/**
 * Cron schedules per tenant on pg-boss: `upsertSchedule(tenant, name, cron, tz, data)` registers a
 * recurring job (key `<tenant>/<name>` on one queue); when it comes due on any instance, the worker
 * appends a `cron` event `{ schedule, data, jobId }` to that tenant's outbox, and rules take it from
 * there. At least once: a job retried after a crash may append its event twice (`jobId` tells).
 */
import { AppError, type Clock } from '@tenon/core';
import { type Database, findTenant } from '@tenon/db';
import { appendEvents } from '@tenon/design';
import { type Clock as BossClock, PgBoss } from 'pg-boss';
import { TimerErrors } from './errors.ts';
import { pgBossConnection } from './pgboss-adapter.ts';

export const CRON_QUEUE = 'tenon_cron';
const NAME = /^[a-z][a-z0-9_]{0,62}$/;

type CronJob = { tenant: string; name: string; data: Record<string, unknown> };

export type CronSchedule = { name: string; cron: string; timeZone: string; data: Record<string, unknown> };

export type CronServiceOptions = {
  db: Database;
  clock: Clock;
  /** pg-boss's schema; default `pgboss` (tenant schemas are `t_…`, the platform's is `tenon`). */
  schema?: string;
  /** pg-boss's own clock (tests pass its TestClock to move time). */
  bossClock?: BossClock;
  log?: (message: string, detail?: Record<string, unknown>) => void;
};

export class CronService {
  private boss: PgBoss | null = null;

  constructor(private readonly options: CronServiceOptions) {}

  async start(): Promise<void> {
    if (this.boss) return;
    const { db, schema = 'pgboss', bossClock } = this.options;
    const boss = new PgBoss({
      ...pgBossConnection(db, schema),
      ...(bossClock ? { clock: bossClock } : {}),
      cronWorkerIntervalSeconds: 5,
      registerInstance: false,
    });
    boss.on('error', (err) => this.options.log?.('pg-boss error', { error: String(err) }));
    await boss.start();
    await boss.createQueue(CRON_QUEUE);
    await boss.work<CronJob>(CRON_QUEUE, { pollingIntervalSeconds: 1 }, (jobs) => this.fire(jobs));
    this.boss = boss;
  }

  async stop(): Promise<void> {
    const boss = this.boss;
    this.boss = null;
    await boss?.stop({ graceful: true, close: true, timeout: 10_000 });
  }

  /** Creates or replaces a tenant's schedule; a bad expression or time zone is a 422. */
  async upsertSchedule(
    tenant: string,
    name: string,
    cron: string,
    tz = 'UTC',
    data: Record<string, unknown> = {},
  ) {
    const boss = this.running();
    if (!NAME.test(name)) throw new AppError(TimerErrors.KERNEL_CRON_INVALID, { reason: `name ${name}` });
    if (!isTimeZone(tz)) throw new AppError(TimerErrors.KERNEL_CRON_INVALID, { reason: `time zone ${tz}` });
    try {
      boss.previewSchedule(cron, { tz });
    } catch (err) {
      throw new AppError(TimerErrors.KERNEL_CRON_INVALID, {
        reason: err instanceof Error ? err.message : cron,
      });
    }
    const job: CronJob = { tenant, name, data };
    await boss.schedule(CRON_QUEUE, cron, job, { tz, key: `${tenant}/${name}` });
  }

  async removeSchedule(tenant: string, name: string): Promise<void> {
    await this.running().unschedule(CRON_QUEUE, `${tenant}/${name}`);
  }

  async listSchedules(tenant: string): Promise<CronSchedule[]> {
    const all = await this.running().getSchedules(CRON_QUEUE);
    return all
      .filter((s) => s.key.startsWith(`${tenant}/`))
      .map((s) => {
        const job = s.data as CronJob;
        return { name: job.name, cron: s.cron, timeZone: s.timezone, data: job.data };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private running(): PgBoss {
    if (!this.boss) throw new AppError(TimerErrors.KERNEL_CRON_NOT_STARTED);
    return this.boss;
  }

  private async fire(jobs: { id: string; data: CronJob }[]): Promise<void> {
    const { db, clock } = this.options;
    for (const job of jobs) {
      const tenant = await findTenant(db, job.data.tenant);
      if (!tenant) {
        this.options.log?.('cron job for an unknown tenant', {
          tenant: job.data.tenant,
          name: job.data.name,
        });
        continue;
      }
      const payload = {
        schedule: job.data.name,
        data: job.data.data ?? {},
        jobId: job.id,
        firedAt: clock.now().toISOString(),
      };
      await db.transaction((tx) =>
        appendEvents(tx, tenant.schemaName, [{ topic: 'cron', entity: null, recordId: null, payload }], {
          actor: { userId: null, username: 'system' },
        }),
      );
    }
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
