/**
 * `npx tsx bench/kernel-outbox.ts`: outbox delivery latency on PostgreSQL, from the commit of the
 * producing transaction to the handler being invoked, at a steady 500 events/s (one event per
 * transaction, open loop), beside pgbench's TPC-B-like baseline taken in the same run. Target: p99 <
 * 100 ms. The producer and the dispatcher are two pools (two "instances") in this process.
 *
 *   BENCH_DATABASE_URL   default postgres://postgres@127.0.0.1:5432/tenon_bench (never `test`)
 *   BENCH_RATE           events per second (default 500)
 *   BENCH_DURATION       seconds measured (default 10, after 2 s of warm-up)
 */
import { systemClock } from '@tenon/core';
import { createTenant, findTenant, migratePlatform, openPostgres, sql } from '@tenon/db';
import { appendEvents } from '@tenon/design';
import { OutboxDispatcher } from '@tenon/kernel';
import { DISTURBED_CORES, meterCpu } from './cpu.ts';
import { benchDatabaseUrl, databaseName, ensureDatabase } from './database.ts';
import { runPgbench } from './pgbench.ts';

const log = (line: string) => console.error(line);
const num = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
};

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);

async function main() {
  const url = benchDatabaseUrl();
  const rate = num('BENCH_RATE', 500);
  const seconds = num('BENCH_DURATION', 10);
  await ensureDatabase(url);
  const producer = await openPostgres({ connectionString: url, max: 16 });
  const consumer = await openPostgres({ connectionString: url, max: 4 });
  await migratePlatform(producer);
  const tenant =
    (await findTenant(producer, 'bench_outbox')) ?? (await createTenant(producer, { name: 'bench_outbox' }));
  await producer.run(sql`DELETE FROM ${sql.id(tenant.schemaName, '_outbox')}`);

  const committed = new Map<number, number>();
  const invoked = new Map<number, number>();
  const dispatcher = new OutboxDispatcher({
    db: consumer,
    clock: systemClock,
    tenants: async () => [tenant],
    handlers: [
      {
        name: 'bench',
        async handle(_tx, event) {
          invoked.set(Number(event.payload.seq), performance.now());
        },
      },
    ],
  });
  await dispatcher.start();

  const actor = { userId: null, username: 'bench' };
  const produce = async (seq: number) => {
    await producer.transaction((tx) =>
      appendEvents(
        tx,
        tenant.schemaName,
        [{ topic: 'bench.tick', entity: null, recordId: null, payload: { seq } }],
        {
          actor,
        },
      ),
    );
    committed.set(seq, performance.now());
  };
  const runAt = async (eventsPerSecond: number, durationS: number, firstSeq: number) => {
    const start = performance.now();
    const total = Math.round(eventsPerSecond * durationS);
    const pending: Promise<void>[] = [];
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * eventsPerSecond));
      for (; sent < due; sent++) pending.push(produce(firstSeq + sent));
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(pending);
    const elapsed = (performance.now() - start) / 1000;
    const end = performance.now() + 10_000;
    while (invoked.size < committed.size && performance.now() < end)
      await new Promise((r) => setTimeout(r, 10));
    return { sent: total, elapsed };
  };

  log(`warm-up: 2 s at ${rate}/s`);
  await runAt(rate, 2, 1_000_000);
  committed.clear();
  invoked.clear();
  log(`measuring: ${seconds} s at ${rate}/s`);
  const meter = meterCpu(databaseName(url));
  const { sent, elapsed } = await runAt(rate, seconds, 0);
  const cpu = meter.stop(sent);
  await dispatcher.stop();

  const latencies: number[] = [];
  let lost = 0;
  for (const [seq, at] of committed) {
    const got = invoked.get(seq);
    if (got === undefined) lost++;
    else latencies.push(Math.max(0, got - at));
  }
  latencies.sort((a, b) => a - b);

  const pgMeter = meterCpu(databaseName(url));
  const pgbench = await runPgbench(url, { clients: 4, threads: 2, seconds: 10 }, log);
  const pgCpu = pgMeter.stop(1);
  await producer.close();
  await consumer.close();

  const f = (n: number) => n.toFixed(1);
  const result = {
    rate,
    seconds,
    sent,
    achievedRate: Math.round(sent / elapsed),
    delivered: latencies.length,
    lost,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    otherCores: cpu.otherCores,
    pgbench: { tps: pgbench.tps, latencyMs: pgbench.latencyMs, otherCores: pgCpu.otherCores },
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    [
      '| events/s (target / achieved) | delivered | p50 ms | p95 ms | p99 ms | max ms | other load (cores) | pgbench tps (4 clients) |',
      '|---|---|---|---|---|---|---|---|',
      `| ${rate} / ${result.achievedRate} | ${result.delivered}/${sent} | ${f(result.p50Ms)} | ${f(result.p95Ms)} | ${f(result.p99Ms)} | ${f(result.maxMs)} | ${cpu.otherCores?.toFixed(2) ?? 'n/a'}${(cpu.otherCores ?? 0) > DISTURBED_CORES ? ' (disturbed)' : ''} | ${pgbench.tps.toFixed(0)} |`,
    ].join('\n'),
  );
  if (lost > 0) process.exitCode = 1;
}

await main();
