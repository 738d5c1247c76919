/**
 * The kernel as the server and the composition root see it: the tenant definitions cache and, once
 * started, the event machinery of this instance: the outbox dispatcher (rules, webhooks, releasing
 * allocations), the live bus behind SSE, the timer loop, the webhook sender, cron rules on pg-boss and
 * periodic dispatch rounds. Several instances may run all of it against one PostgreSQL database.
 */
import type { Clock } from '@tenon/core';
import { type Database, listTenants, type Tenant } from '@tenon/db';
import {
  type ActionRegistry,
  type MetamodelCache,
  type ObjectKindRegistry,
  SYSTEM_ACTOR,
} from '@tenon/design';
import { KernelDefinitions } from './definitions/kernel-definitions.ts';
import { LiveBus } from './events/live-bus.ts';
import { OutboxDispatcher } from './events/outbox-dispatcher.ts';
import type { LiveSubscriber } from './events/types.ts';
import { createWebhookHandler } from './events/webhooks/webhook-handler.ts';
import { WebhookWorker } from './events/webhooks/webhook-worker.ts';
import { createRuleHandler } from './rules/rule-handler.ts';
import { cronSchedulesOf } from './rules/rule-index.ts';
import { releaseAllocationsHandler } from './scheduler/release-allocations.handler.ts';
import { dispatchRound } from './scheduler/services/dispatch-round.service.ts';
import { CronService } from './timers/cron-service.ts';
import { TimerLoop } from './timers/timer-loop.ts';

export type KernelDeps = { db: Database; objectKinds: ObjectKindRegistry; clock: Clock };

export type KernelLog = (message: string, detail?: Record<string, unknown>) => void;

export type KernelStartOptions = {
  metamodels: MetamodelCache;
  actions: ActionRegistry;
  log?: KernelLog;
  /** Cron rules through pg-boss (default on). */
  cron?: boolean;
  /** Milliseconds between automatic dispatch rounds of every tenant; 0 = only on request (default 10 s). */
  dispatchEveryMs?: number;
  /** Poll intervals of the safety nets (the outbox also wakes on NOTIFY); default 1 s. */
  pollMs?: number;
  /** The webhook sender's fetch (tests point it at a local receiver). */
  fetch?: typeof fetch;
  /** The tenants this instance serves; default every tenant of the database. */
  tenants?: () => Promise<Tenant[]>;
};

type Runtime = {
  dispatcher: OutboxDispatcher;
  live: LiveBus;
  timers: TimerLoop;
  webhooks: WebhookWorker;
  cron: CronService | null;
  stopDispatching: () => void;
  stopWatchingRules: () => void;
};

export class Kernel {
  readonly definitions: KernelDefinitions;
  /** Live events of every instance (null until `start`). */
  live: LiveSubscriber | null = null;
  private runtime: Runtime | null = null;

  constructor(readonly deps: KernelDeps) {
    this.definitions = new KernelDefinitions(deps.db, deps.objectKinds);
  }

  /** Starts this instance's share of the event machinery; idempotent. */
  async start(options: KernelStartOptions): Promise<void> {
    if (this.runtime) return;
    const { db, clock } = this.deps;
    const log: KernelLog = options.log ?? (() => {});
    const pollMs = options.pollMs ?? 1000;
    const tenants = options.tenants ?? (() => listTenants(db));
    const live = new LiveBus(db, (err) => log('live event failed', { error: String(err) }));
    const dispatcher = new OutboxDispatcher({
      db,
      clock,
      log,
      pollMs,
      tenants,
      handlers: [
        createRuleHandler({
          db,
          metamodels: options.metamodels,
          definitions: this.definitions,
          actions: options.actions,
          clock,
        }),
        createWebhookHandler(),
        releaseAllocationsHandler,
      ],
    });
    const timers = new TimerLoop({ db, clock, log, pollMs, tenants });
    const webhooks = new WebhookWorker({
      db,
      clock,
      log,
      pollMs,
      tenants,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const cron = options.cron === false ? null : new CronService({ db, clock, log });
    await live.start();
    await dispatcher.start();
    timers.start();
    webhooks.start();
    await cron?.start();
    const runtime: Runtime = {
      dispatcher,
      live,
      timers,
      webhooks,
      cron,
      stopDispatching: this.dispatchPeriodically(options, tenants, log),
      stopWatchingRules: () => {},
    };
    this.runtime = runtime;
    this.live = live;
    if (cron) {
      // Cron rules follow their definitions: now for every tenant, then whenever a tenant's rules change.
      for (const tenant of await tenants()) await this.syncCron(cron, tenant, log);
      const off = this.deps.objectKinds.onChanged((tenantName, kind) => {
        if (kind !== 'rule' || this.runtime !== runtime) return;
        void tenants()
          .then((all) => all.find((t) => t.name === tenantName))
          .then((tenant) => (tenant ? this.syncCron(cron, tenant, log) : undefined))
          .catch((err) => log('cron sync failed', { tenant: tenantName, error: String(err) }));
      });
      runtime.stopWatchingRules = () => void off();
    }
  }

  async stop(): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) return;
    this.runtime = null;
    this.live = null;
    runtime.stopDispatching();
    runtime.stopWatchingRules();
    await runtime.dispatcher.stop();
    await runtime.timers.stop();
    await runtime.webhooks.stop();
    await runtime.cron?.stop();
    await runtime.live.stop();
  }

  /** The running dispatcher (tests and the CLI drain it); null before `start`. */
  get dispatcher(): OutboxDispatcher | null {
    return this.runtime?.dispatcher ?? null;
  }

  private dispatchPeriodically(
    options: KernelStartOptions,
    tenants: () => Promise<Tenant[]>,
    log: KernelLog,
  ): () => void {
    const every = options.dispatchEveryMs ?? 10_000;
    if (every <= 0) return () => {};
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    const round = async () => {
      for (const tenant of await tenants()) {
        const env = {
          metamodel: await options.metamodels.forTenant(tenant),
          definitions: await this.definitions.forTenant(tenant),
          clock: this.deps.clock,
          actor: SYSTEM_ACTOR,
        };
        const result = await dispatchRound(this.deps.db, env);
        if (result.assigned.length > 0) {
          log('dispatch round', { tenant: tenant.name, assigned: result.assigned.length });
        }
      }
    };
    const tick = () => {
      timer = setTimeout(async () => {
        await round().catch((err) => log('dispatch round failed', { error: String(err) }));
        if (!stopped) tick();
      }, every);
    };
    tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }

  /** Makes pg-boss's schedules of one tenant match its enabled cron rules. */
  private async syncCron(cron: CronService, tenant: Tenant, log: KernelLog): Promise<void> {
    this.definitions.invalidate(tenant.name);
    const wanted = cronSchedulesOf(await this.definitions.forTenant(tenant));
    const have = await cron.listSchedules(tenant.name);
    for (const s of wanted) {
      const same = have.find((h) => h.name === s.name && h.cron === s.cron && h.timeZone === s.tz);
      if (!same) await cron.upsertSchedule(tenant.name, s.name, s.cron, s.tz, { rule: s.name });
    }
    for (const h of have) {
      if (!wanted.some((s) => s.name === h.name)) await cron.removeSchedule(tenant.name, h.name);
    }
    if (wanted.length > 0) log('cron rules scheduled', { tenant: tenant.name, rules: wanted.length });
  }
}
