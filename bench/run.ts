/**
 * `npm run bench`: the generated REST API on PostgreSQL with 1,000,000 rows, against pgbench's
 * TPC-B-like baseline on the same server. See bench/README.md. `npm run bench -- wms`: the warehouse
 * domain (bench/wms-run.ts).
 *
 *   BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/tenon_bench (never `test`)
 *   BENCH_DURATION      seconds per measured run (default 10)
 *   BENCH_WARMUP        seconds of unmeasured warm-up per scenario (default 2)
 *   BENCH_CONNECTIONS   comma-separated connection counts (default 8,64)
 *   BENCH_QUIET_WAIT    seconds to wait for other processes to go quiet before each run (default 120)
 *   BENCH_SCENARIOS     comma-separated scenarios to run: read, list, create (default all)
 *   BENCH_WORKERS       comma-separated counts of Tenon server processes (TENON_WORKERS) to measure
 *                       in turn (default 1)
 *
 * A run during which other processes used more than DISTURBED_CORES is run again (twice at most).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAdmin, ensureTenant, openSystem } from '../apps/tenon/src/boot.ts';
import { loadConfig } from '../apps/tenon/src/config.ts';
import { startWorkers, type WorkerPool } from '../apps/tenon/src/workers.ts';
import { DISTURBED_CORES, meterCpu, waitForQuiet } from './cpu.ts';
import { benchDatabaseUrl, databaseName, ensureDatabase, serverInfo } from './database.ts';
import { prepareDataset, removeCreatedRows, vacuum } from './dataset.ts';
import { createBodies, LIST_QUERY, ORDER } from './entities.ts';
import { runScenario, type Scenario, type ScenarioResult, signIn, warmUp } from './load.ts';
import { type PgbenchResult, runPgbench } from './pgbench.ts';
import {
  codeLine,
  codeVersion,
  cpuTable,
  disturbedRuns,
  failuresOf,
  machineLine,
  machineOf,
  markdownTable,
  writeResults,
} from './report.ts';

/** The bench tenant's administrator (created on the first run; the admin role may do everything). */
const ADMIN = { username: 'bench', password: 'bench-password-2026', tenant: 'bench' };

const RESULTS = fileURLToPath(new URL('./results/latest.json', import.meta.url));

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of seconds, not ${raw}`);
  return n;
}

function counts(name: string, fallback: string): number[] {
  const raw = process.env[name] ?? fallback;
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.some((c) => !Number.isInteger(c) || c < 1))
    throw new Error(`${name} must list positive integers, not ${raw}`);
  return list;
}

const log = (line: string) => console.error(line);

function scenarios(orderIds: string[], customerIds: string[]): Scenario[] {
  const base = `/api/v1/${ORDER}`;
  const wanted = (process.env.BENCH_SCENARIOS ?? '').split(',').filter(Boolean);
  const all: Scenario[] = [
    {
      key: 'read',
      title: 'Read by id',
      method: 'GET',
      route: '/api/v1/:entity/:id',
      requests: orderIds.map((id) => ({ method: 'GET', path: `${base}/${id}` })),
    },
    {
      key: 'list',
      title: 'Filtered + sorted list (50)',
      method: 'GET',
      route: '/api/v1/:entity',
      requests: [{ method: 'GET', path: `${base}?${LIST_QUERY}` }],
    },
    {
      key: 'create',
      title: 'Create',
      method: 'POST',
      route: '/api/v1/:entity',
      requests: createBodies(customerIds).map((body) => ({ method: 'POST', path: base, body })),
    },
    {
      // Diagnostic, only when asked for: the fixed cost of an API call (security headers, rate limit,
      // authentication, metrics, envelope) without SQL, to set beside a read.
      key: 'pipeline',
      title: 'Authenticated call, no SQL (auth/me)',
      method: 'GET',
      route: '/api/v1/auth/me',
      requests: [{ method: 'GET', path: '/api/v1/auth/me' }],
    },
  ];
  const unknown = wanted.filter((w) => !all.some((s) => s.key === w));
  if (unknown.length)
    throw new Error(`BENCH_SCENARIOS: unknown ${unknown.join(', ')} (read, list, create, pipeline)`);
  return wanted.length ? all.filter((s) => wanted.includes(s.key)) : all.filter((s) => s.key !== 'pipeline');
}

async function main(): Promise<void> {
  const seconds = positive('BENCH_DURATION', 10);
  const warmup = positive('BENCH_WARMUP', 2);
  const quietWait = positive('BENCH_QUIET_WAIT', 120);
  const connections = counts('BENCH_CONNECTIONS', '8,64');
  const workerCounts = counts('BENCH_WORKERS', '1');
  const url = benchDatabaseUrl();
  const database = databaseName(url);
  const { created } = await ensureDatabase(url);
  log(created ? 'created the bench database' : 'using the existing bench database');
  const postgres = await serverInfo(url);
  const machine = machineOf(postgres);

  const dataDir = mkdtempSync(join(tmpdir(), 'tenon-bench-'));
  // Tenon runs as `tenon serve` does with TENON_WORKERS: server processes forked from this one.
  const env = {
    ...process.env,
    DATABASE_URL: url,
    TENON_DATA_DIR: dataDir,
    TENON_TENANT: 'bench',
    TENON_ADMIN_USER: ADMIN.username,
    TENON_ADMIN_PASSWORD: ADMIN.password,
    // The limiter stays on (its cost is part of every request) but never refuses the load.
    TENON_RATE_LIMIT_API: '1000000000',
    TENON_RATE_LIMIT_AUTH: '1000',
    LOG_LEVEL: 'warn',
    PORT: '0',
  };
  const system = await openSystem(loadConfig(env));
  let pool: WorkerPool | undefined;
  try {
    const tenant = await ensureTenant(system, 'bench');
    await ensureAdmin(system, tenant);
    const dataset = await prepareDataset(system, tenant, log);
    log(`data set ${dataset.mode} in ${dataset.seconds} s; ${dataset.orderIds.length} ids in the read pool`);

    let pgbench: PgbenchResult;
    for (let attempt = 1; ; attempt++) {
      await waitForQuiet(database, { maxSeconds: quietWait, log });
      const meter = meterCpu(database, { pollMs: 500 });
      pgbench = await runPgbench(url, { clients: 8, threads: 2, seconds }, log);
      pgbench.otherCores = meter.stop(1).otherCores;
      log(
        `pgbench: ${pgbench.tps.toFixed(0)} tps; other load ${pgbench.otherCores?.toFixed(2) ?? 'n/a'} cores`,
      );
      if ((pgbench.otherCores ?? 0) <= DISTURBED_CORES || attempt === 3) break;
    }

    const results: ScenarioResult[] = [];
    for (const workers of workerCounts) {
      pool = await startWorkers({ count: workers, env: { ...env, TENON_WORKERS: String(workers) }, log });
      const { address } = pool;
      const servers = pool.pids();
      log(`Tenon: ${workers} server process(es) at ${address}`);
      for (const scenario of scenarios(dataset.orderIds, dataset.customerIds)) {
        await warmUp(address, scenario, { seconds: warmup, token: await signIn(address, ADMIN) });
        for (const c of connections) {
          log(`${scenario.title}: ${workers} worker(s), ${c} connections, ${seconds} s`);
          let result: ScenarioResult;
          for (let attempt = 1; ; attempt++) {
            await waitForQuiet(database, { maxSeconds: quietWait, log, servers });
            const token = await signIn(address, ADMIN);
            result = await runScenario(address, scenario, {
              connections: c,
              seconds,
              database,
              token,
              servers,
            });
            const other = result.cpu.otherCores ?? 0;
            if (other <= DISTURBED_CORES || attempt === 3) break;
            log(`  disturbed: other processes used ${other.toFixed(2)} cores; running again`);
          }
          log(
            `  ${result.reqPerSec.toFixed(0)} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ` +
              `${result.statementsPerRequest.toFixed(2)} statements/request, CPU/request: ` +
              `Tenon ${result.cpu.tenonUs?.toFixed(0) ?? 'n/a'} µs, PostgreSQL ${result.cpu.postgresUs?.toFixed(0) ?? 'n/a'} µs, ` +
              `load generator ${result.cpu.benchUs?.toFixed(0) ?? 'n/a'} µs; ` +
              `other load ${result.cpu.otherCores?.toFixed(2) ?? 'n/a'} cores`,
          );
          results.push(result);
        }
      }
      await pool.stop();
      pool = undefined;
    }
    const removed = await removeCreatedRows(system, tenant);
    await vacuum(system, tenant);
    log(`removed the ${removed.toLocaleString('en')} orders created by this run (and vacuumed)`);

    const failures = failuresOf(results);
    const date = new Date().toISOString();
    const code = codeVersion();
    writeResults(RESULTS, {
      date,
      code,
      machine,
      settings: { seconds, warmup, connections, workers: workerCounts, pgPoolSize: 10, logLevel: 'warn' },
      dataset: { mode: dataset.mode, seconds: dataset.seconds, orders: 1_000_000, customers: 1_000 },
      pgbench,
      results,
      failures,
    });
    console.log(`\n## Tenon API benchmark (${date})\n`);
    console.log(`${machineLine(machine)}\n`);
    console.log(`${codeLine(code)}\n`);
    console.log(
      `Data set: 1,000,000 \`${ORDER}\` rows (${dataset.mode}); ${seconds} s per run after ${warmup} s warm-up.\n`,
    );
    console.log(markdownTable(results, pgbench));
    console.log(`\n${cpuTable(results)}`);
    const disturbed = disturbedRuns(results);
    if (disturbed.length > 0) {
      console.log(
        `\nWARNING: other processes used more than ${DISTURBED_CORES} cores during: ${disturbed.join('; ')}. ` +
          'Those req/s figures understate Tenon; compare CPU per request, or run again on a quiet machine.',
      );
    }
    console.log(`\nResults written to ${RESULTS}`);
    if (failures.length > 0) {
      console.error(`\nFAILED: requests that did not succeed:\n  ${failures.join('\n  ')}`);
      process.exitCode = 1;
    }
  } finally {
    await pool?.stop();
    await system.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// `npm run bench -- wms` runs the warehouse domain's benchmark instead (bench/wms-run.ts).
// `npm run bench -- inventory`: the stock ledger (bench/inventory.ts).
const suite =
  process.argv[2] === 'wms'
    ? import('./wms-run.ts').then((m) => m.runWmsBench())
    : process.argv[2] === 'inventory'
      ? import('./inventory.ts').then((m) => m.runInventoryBench())
      : main();
suite.catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
