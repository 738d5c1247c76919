/**
 * `npm run bench -- wms`: the warehouse domain's two targets, beside pgbench's TPC-B-like baseline
 * taken in the same run (see docs/benchmarks.md, "Warehouse (WMS)").
 *
 *  - a wave of 1,000 orders x 5 lines turned into batch pick lists with routes: target < 2 s;
 *  - a route over 200 stops: target < 200 ms.
 *
 *   BENCH_DATABASE_URL   the pgbench database (default postgres://postgres@127.0.0.1:5432/tenon_bench)
 *   BENCH_DURATION       pgbench seconds (default 10)
 *   BENCH_WMS_BATCH      orders per batch walk (default 20)
 *   BENCH_WMS_REPEATS    measured repetitions of each scenario (default 5 waves, 4x as many routes)
 *   BENCH_QUIET_WAIT     seconds to wait for other processes to go quiet before each part (default 120)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPickLists, optimiseRoute, planWaves } from '@tenon/wms';
import { meterCpu, waitForQuiet } from './cpu.ts';
import { benchDatabaseUrl, databaseName, ensureDatabase, serverInfo } from './database.ts';
import { runPgbench } from './pgbench.ts';
import { codeLine, codeVersion, machineLine, machineOf } from './report.ts';
import { benchLayout, benchOrders, benchStops } from './wms-data.ts';

const RESULTS = fileURLToPath(new URL('./results/wms-latest.json', import.meta.url));
const log = (line: string) => console.error(line);
const NOW = new Date('2026-11-26T06:00:00Z');

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return n;
}

/**
 * Wall-clock times of a first (cold) run and `runs` measured runs, and the median CPU time of this
 * process per measured run: on a shared machine the wall clock includes waiting for a core, the CPU
 * time does not.
 */
type Timing = { firstMs: number; medianMs: number; maxMs: number; medianCpuMs: number; runs: number };

function timed(runs: number, once: (i: number) => void): Timing {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    once(i);
    const used = process.cpuUsage(cpuStart);
    times.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rest = times.slice(1);
  return {
    firstMs: times[0]!,
    medianMs: median(rest),
    maxMs: Math.max(...rest),
    medianCpuMs: median(cpu.slice(1)),
    runs,
  };
}

export async function runWmsBench(): Promise<void> {
  const seconds = setting('BENCH_DURATION', 10);
  const batch = setting('BENCH_WMS_BATCH', 20);
  const repeats = setting('BENCH_WMS_REPEATS', 5);
  const quiet = { maxSeconds: setting('BENCH_QUIET_WAIT', 120), log };
  const url = benchDatabaseUrl();
  const database = databaseName(url);
  await ensureDatabase(url);
  const machine = machineOf(await serverInfo(url));

  await waitForQuiet(database, quiet);
  const pgMeter = meterCpu(database, { pollMs: 500 });
  const pgbench = await runPgbench(url, { clients: 8, threads: 2, seconds }, log);
  pgbench.otherCores = pgMeter.stop(1).otherCores;
  log(`pgbench: ${pgbench.tps.toFixed(0)} tps`);

  const layout = benchLayout();
  const orders = benchOrders(layout, 1000, 5, 20261126);
  await waitForQuiet(database, quiet);
  const waveMeter = meterCpu(database);
  let summary = { lists: 0, stops: 0, length: 0, naiveLength: 0 };
  const wave = timed(repeats, () => {
    const plan = planWaves(orders, { groupBy: ['route'], maxOrders: 1000 }, NOW);
    const lists = plan.waves.flatMap(
      (w) => buildPickLists(layout, w.orders, { kind: 'batch', ordersPerList: batch }).lists,
    );
    summary = {
      lists: lists.length,
      stops: lists.reduce((s, l) => s + l.route.order.length, 0),
      length: lists.reduce((s, l) => s + l.route.length, 0),
      naiveLength: lists.reduce((s, l) => s + l.route.naiveLength, 0),
    };
  });
  const waveOther = waveMeter.stop(1).otherCores;
  log(`wave: median ${wave.medianMs.toFixed(0)} ms over ${summary.lists} lists, ${summary.stops} stops`);

  const stopSets = Array.from({ length: repeats * 4 + 1 }, (_, i) => benchStops(layout, 200, 1000 + i));
  await waitForQuiet(database, quiet);
  const routeMeter = meterCpu(database);
  let saved = 0;
  const route = timed(repeats * 4, (i) => {
    const r = optimiseRoute(layout, stopSets[i]!);
    saved += 1 - r.length / r.naiveLength;
  });
  const routeOther = routeMeter.stop(1).otherCores;
  log(`route: median ${route.medianMs.toFixed(1)} ms`);

  const verdict = (ms: number, target: number) => (ms < target ? 'PASS' : 'MISS');
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const other = (c: number | null) => (c === null ? 'n/a' : c.toFixed(2));
  const date = new Date().toISOString();
  const code = codeVersion();
  const results = {
    date,
    code,
    machine,
    pgbench,
    wave: {
      ...wave,
      target: 2000,
      orders: 1000,
      linesPerOrder: 5,
      ordersPerList: batch,
      ...summary,
      otherCores: waveOther,
    },
    route: { ...route, target: 200, stops: 200, meanSaving: saved / stopSets.length, otherCores: routeOther },
  };
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n## Tenon WMS domain benchmark (${date})\n`);
  console.log(`${machineLine(machine)}\n`);
  console.log(`${codeLine(code)}\n`);
  console.log(
    `Baseline: pgbench TPC-B-like, 8 clients, ${seconds} s: ${pgbench.tps.toFixed(0)} tps (other load ${other(pgbench.otherCores ?? null)} cores).\n`,
  );
  console.log(
    '| Scenario | Target | First run | Median | Max | CPU (median) | Verdict | Other load (cores) |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  console.log(
    `| Wave 1,000 orders x 5 lines -> ${summary.lists} batch lists (${batch} orders each), routed | < 2,000 ms | ` +
      `${wave.firstMs.toFixed(0)} ms | ${wave.medianMs.toFixed(0)} ms | ${wave.maxMs.toFixed(0)} ms | ` +
      `${wave.medianCpuMs.toFixed(0)} ms | ${verdict(wave.maxMs, 2000)} | ${other(waveOther)} |`,
  );
  console.log(
    `| Route over 200 stops (\`best\`), ${route.runs} instances | < 200 ms | ${route.firstMs.toFixed(1)} ms | ` +
      `${route.medianMs.toFixed(1)} ms | ${route.maxMs.toFixed(1)} ms | ${route.medianCpuMs.toFixed(1)} ms | ` +
      `${verdict(route.maxMs, 200)} | ${other(routeOther)} |`,
  );
  console.log(
    `\nWalking distance: the wave's ${summary.lists} batch walks total ${summary.length.toFixed(0)} m against ` +
      `${summary.naiveLength.toFixed(0)} m in location-name order (${pct(1 - summary.length / summary.naiveLength)} shorter); ` +
      `200-stop routes are ${pct(saved / stopSets.length)} shorter on average.`,
  );
  console.log(`\nResults written to ${RESULTS}`);
}
