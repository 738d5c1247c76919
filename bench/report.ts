/** Targets, PASS/MISS verdicts, the Markdown table and the JSON results file. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { DISTURBED_CORES } from './cpu.ts';
import type { ServerInfo } from './database.ts';
import type { ScenarioKey, ScenarioResult } from './load.ts';
import type { PgbenchResult } from './pgbench.ts';

export type Target = { minReqPerSec: number; maxP99Ms?: number; text: string };

/** The targets for a 2-core machine; the diagnostic `pipeline` scenario has none. */
export const TARGETS: Record<ScenarioKey, Target | null> = {
  read: { minReqPerSec: 5000, maxP99Ms: 10, text: '>= 5,000 req/s, p99 <= 10 ms' },
  list: { minReqPerSec: 1500, maxP99Ms: 50, text: '>= 1,500 req/s, p99 <= 50 ms' },
  create: { minReqPerSec: 1500, text: '>= 1,500 req/s' },
  pipeline: null,
};
export const MAX_STATEMENTS_PER_REQUEST = 3;

export type Verdict = { pass: boolean; misses: string[] };

/** PASS or MISS per target; `target` is null for a scenario without one. */
export function verdictOf(r: ScenarioResult): { target: Verdict | null; statements: Verdict } {
  const t = TARGETS[r.key];
  const misses: string[] = [];
  if (t && r.reqPerSec < t.minReqPerSec) misses.push('req/s');
  if (t?.maxP99Ms !== undefined && r.latencyMs.p99 > t.maxP99Ms) misses.push('p99');
  const stmtOk = r.statementsPerRequest <= MAX_STATEMENTS_PER_REQUEST;
  return {
    target: t ? { pass: misses.length === 0, misses } : null,
    statements: { pass: stmtOk, misses: stmtOk ? [] : ['statements'] },
  };
}

export type Machine = {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: ServerInfo;
};

export function machineOf(postgres: ServerInfo): Machine {
  const cpuList = cpus();
  return {
    cores: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    postgres,
  };
}

export type CodeVersion = { commit: string; changedFiles: number };

/** The commit measured, and how many files outside bench/ differed from it (uncommitted work). */
export function codeVersion(): CodeVersion {
  const git = (...args: string[]) =>
    execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const changed = git('status', '--porcelain', '--', '.', ':!bench').split('\n').filter(Boolean);
    return { commit: git('rev-parse', '--short', 'HEAD'), changedFiles: changed.length };
  } catch {
    return { commit: 'unknown', changedFiles: 0 };
  }
}

export function codeLine(c: CodeVersion): string {
  return c.changedFiles === 0
    ? `Code: commit ${c.commit}.`
    : `Code: commit ${c.commit} plus ${c.changedFiles} uncommitted changed files.`;
}

export function machineLine(m: Machine): string {
  return (
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}, ` +
    `PostgreSQL ${m.postgres.version} (shared_buffers ${m.postgres.sharedBuffers}, ` +
    `synchronous_commit ${m.postgres.synchronousCommit}); load generator, Tenon and PostgreSQL share these cores.`
  );
}

const int = (n: number) => Math.round(n).toLocaleString('en');
const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const micros = (n: number | null) => (n === null ? 'n/a' : int(n));
const mark = (v: Verdict | null) => (v === null ? '' : v.pass ? 'PASS' : `MISS (${v.misses.join(', ')})`);

export function markdownTable(results: ScenarioResult[], pgbench: PgbenchResult): string {
  const lines = [
    '| Scenario | Workers | Conns | req/s | p50 ms | p99 ms | non-2xx | × pgbench tps | Target | Result | SQL stmts/req | ≤ 3 stmts |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|',
  ];
  for (const r of results) {
    const v = verdictOf(r);
    lines.push(
      `| ${r.title} | ${r.workers} | ${r.connections} | ${int(r.reqPerSec)} | ${r.latencyMs.p50} | ${r.latencyMs.p99} | ` +
        `${r.non2xx + r.errors} | ${fixed(r.reqPerSec / pgbench.tps, 2)} | ${TARGETS[r.key]?.text ?? 'none (diagnostic)'} | ` +
        `${mark(v.target)} | ${fixed(r.statementsPerRequest, 2)} | ${mark(v.statements)} |`,
    );
  }
  lines.push(
    `| pgbench TPC-B-like (scale ${pgbench.scale}, -j ${pgbench.threads}) | | ${pgbench.clients} | ` +
      `${int(pgbench.tps)} tps | ${pgbench.latencyMs ?? 'n/a'} (avg) | | 0 | 1.00 | baseline | | 7 | |`,
  );
  return lines.join('\n');
}

/** Where the CPU went, per request; "other load" flags runs disturbed by other work on the machine. */
export function cpuTable(results: ScenarioResult[]): string {
  const lines = [
    '| Scenario | Workers | Conns | Tenon CPU µs/req | PostgreSQL CPU µs/req | Load generator CPU µs/req | Other load (cores) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const other = r.cpu.otherCores === null ? 'n/a' : r.cpu.otherCores.toFixed(2);
    lines.push(
      `| ${r.title} | ${r.workers} | ${r.connections} | ${micros(r.cpu.tenonUs)} | ${micros(r.cpu.postgresUs)} | ${micros(r.cpu.benchUs)} | ${other} |`,
    );
  }
  return lines.join('\n');
}

export function disturbedRuns(results: ScenarioResult[]): string[] {
  return results
    .filter((r) => (r.cpu.otherCores ?? 0) > DISTURBED_CORES)
    .map(
      (r) =>
        `${r.title} at ${r.connections} connections, ${r.workers} worker(s) (${r.cpu.otherCores!.toFixed(2)} cores)`,
    );
}

/** Every way a run can be wrong rather than slow: non-2xx answers, socket errors, timeouts. */
export function failuresOf(results: ScenarioResult[]): string[] {
  return results
    .filter((r) => r.non2xx > 0 || r.errors > 0 || r.timeouts > 0)
    .map(
      (r) =>
        `${r.title} at ${r.connections} connections: ${r.non2xx} non-2xx, ${r.errors} errors, ` +
        `${r.timeouts} timeouts (status codes ${JSON.stringify(r.statusCodes)})`,
    );
}

export function writeResults(
  path: string,
  data: {
    date: string;
    code: CodeVersion;
    machine: Machine;
    settings: Record<string, unknown>;
    dataset: Record<string, unknown>;
    pgbench: PgbenchResult;
    results: ScenarioResult[];
    failures: string[];
  },
): void {
  mkdirSync(dirname(path), { recursive: true });
  const scenarios = data.results.map((r) => ({
    ...r,
    ratioToPgbenchTps: r.reqPerSec / data.pgbench.tps,
    target: TARGETS[r.key]?.text ?? null,
    verdict: verdictOf(r),
  }));
  const json = {
    ...data,
    results: undefined,
    machineLine: machineLine(data.machine),
    targets: { ...TARGETS, maxStatementsPerRequest: MAX_STATEMENTS_PER_REQUEST },
    scenarios,
  };
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
}
