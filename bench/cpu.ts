/**
 * CPU time from /proc: Tenon (the main threads of its server processes, or of this process when Tenon
 * runs in it; autocannon runs in a worker thread), the PostgreSQL processes serving the bench
 * database, and other processes. On a shared 2-core VM req/s
 * moves by ±20% from run to run and other work (a test run, a build) takes cores away; CPU per
 * request moves far less, and "other load" says when a run was disturbed.
 * Linux only: elsewhere (or with a remote PostgreSQL) the figures are null.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: /proc times are in clock ticks, 100 per second on Linux. */
const TICKS_PER_SECOND = 100;

/** A run during which other processes used more than this many cores is "disturbed". */
export const DISTURBED_CORES = 0.25;

export type CpuSample = {
  at: number;
  /** Main-thread ticks of Tenon: this process's, or the sum over its server processes. */
  tenon: number | null;
  /** Ticks of the server processes, every thread (part of our own load, not of the others'). */
  servers: number;
  /** This process and its finished children (pgbench); then ticks per pid of our PostgreSQL processes and kernel threads. */
  self: number | null;
  postgres: Map<string, number>;
  kernel: Map<string, number>;
  /** User + nice + system ticks of the whole machine (irq and softirq time is charged to nobody). */
  machine: number | null;
};

export type CpuUse = {
  tenonUs: number | null;
  /** This process, every thread (the load generator when Tenon runs in server processes). */
  benchUs: number | null;
  postgresUs: number | null;
  /** Cores used meanwhile by other processes (other databases' backends, test runs, builds). */
  otherCores: number | null;
};

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // Not Linux, or the process ended meanwhile.
  }
}

/** utime + stime, the same for waited-for children (pgbench), and the parent pid, from /proc/<pid>/stat. */
function statOf(path: string): { ticks: number; children: number; ppid: number } | null {
  const stat = read(path);
  if (stat === null) return null;
  // After the parenthesised command name: state, ppid, ... utime, stime, cutime, cstime (fields 14-17).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    ticks: Number(fields[11]) + Number(fields[12]),
    children: Number(fields[13]) + Number(fields[14]),
    ppid: Number(fields[1]),
  };
}

function machineTicks(): number | null {
  const line = read('/proc/stat')?.split('\n')[0];
  if (!line?.startsWith('cpu ')) return null;
  const [user = 0, nice = 0, system = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return user + nice + system;
}

/** Client backends show `postgres: <cluster>: <user> <database> <host>(<port>) <state>`. */
const BACKEND = /: \S+ (\S+) (?:\[local\]|\S+\(\d+\))/;

export function sampleCpu(database: string, servers: readonly number[] = []): CpuSample {
  let tenon: number | null = servers.length
    ? 0
    : (statOf(`/proc/self/task/${process.pid}/stat`)?.ticks ?? null);
  let serverTicks = 0;
  for (const pid of servers) {
    const main = statOf(`/proc/${pid}/task/${pid}/stat`);
    const whole = statOf(`/proc/${pid}/stat`);
    if (main === null || whole === null || tenon === null) tenon = null;
    else tenon += main.ticks;
    serverTicks += whole?.ticks ?? 0;
  }
  const sample: CpuSample = {
    at: performance.now(),
    tenon,
    servers: serverTicks,
    self: ((stat) => (stat ? stat.ticks + stat.children : null))(statOf('/proc/self/stat')),
    postgres: new Map(),
    kernel: new Map(),
    machine: machineTicks(),
  };
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  } catch {
    return sample;
  }
  const serverPids = new Set(servers.map(String));
  for (const pid of pids) {
    if (serverPids.has(pid)) continue;
    const stat = statOf(`/proc/${pid}/stat`);
    if (!stat) continue;
    if (stat.ppid === 2 || pid === '2') {
      sample.kernel.set(pid, stat.ticks);
      continue;
    }
    if (read(`/proc/${pid}/comm`)?.trim() !== 'postgres') continue;
    const backend = BACKEND.exec(read(`/proc/${pid}/cmdline`)?.replaceAll('\0', ' ') ?? '');
    if (!backend || backend[1] === database) sample.postgres.set(pid, stat.ticks);
  }
  return sample;
}

/**
 * Samples now and when stopped. With `pollMs`, also samples meanwhile and remembers the last ticks of
 * every PostgreSQL process seen, so processes that end before the run does (pgbench's backends) still
 * count. Not polled during API runs: a sample costs ~3 ms of the main thread, which Tenon shares.
 */
export function meterCpu(
  database: string,
  options: { pollMs?: number; servers?: readonly number[] } = {},
): { stop(requests: number): CpuUse } {
  const { pollMs, servers = [] } = options;
  const before = sampleCpu(database, servers);
  const postgres = new Map(before.postgres);
  const kernel = new Map(before.kernel);
  const remember = (s: CpuSample) => {
    for (const [pid, t] of s.postgres) postgres.set(pid, t);
    for (const [pid, t] of s.kernel) kernel.set(pid, t);
  };
  const timer = pollMs ? setInterval(() => remember(sampleCpu(database, servers)), pollMs) : undefined;
  return {
    stop(requests: number) {
      clearInterval(timer);
      const last = sampleCpu(database, servers);
      remember(last);
      return cpuUse(before, { ...last, postgres, kernel }, requests);
    },
  };
}

/** Ticks used meanwhile by the processes present in `after`. */
function grown(before: Map<string, number>, after: Map<string, number>): number {
  let total = 0;
  for (const [pid, ticks] of after) total += ticks - (before.get(pid) ?? 0);
  return total;
}

/** Microseconds of CPU per request between two samples, and the other load meanwhile. */
export function cpuUse(before: CpuSample, after: CpuSample, requests: number): CpuUse {
  const per = (ticks: number | null) =>
    ticks === null || requests === 0 ? null : (ticks / TICKS_PER_SECOND / requests) * 1e6;
  const postgres = after.postgres.size > 0 ? grown(before.postgres, after.postgres) : null;
  const seconds = (after.at - before.at) / 1000;
  let otherCores: number | null = null;
  if (before.machine !== null && after.machine !== null && before.self !== null && after.self !== null) {
    const ours =
      after.self -
      before.self +
      (after.servers - before.servers) +
      (postgres ?? 0) +
      grown(before.kernel, after.kernel);
    otherCores = Math.max(0, after.machine - before.machine - ours) / TICKS_PER_SECOND / seconds;
  }
  return {
    tenonUs: per(before.tenon === null || after.tenon === null ? null : after.tenon - before.tenon),
    benchUs: per(before.self === null || after.self === null ? null : after.self - before.self),
    postgresUs: per(postgres),
    otherCores,
  };
}

/**
 * Waits (up to `maxSeconds`) until other processes use at most DISTURBED_CORES, measured over one
 * second while the benchmark itself is idle. Returns the last measurement (null off Linux).
 */
export async function waitForQuiet(
  database: string,
  options: { maxSeconds: number; log: (line: string) => void; servers?: readonly number[] },
): Promise<number | null> {
  const deadline = performance.now() + options.maxSeconds * 1000;
  let told = 0;
  for (;;) {
    const before = sampleCpu(database, options.servers);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const other = cpuUse(before, sampleCpu(database, options.servers), 1).otherCores;
    if (other === null || other <= DISTURBED_CORES) return other;
    if (performance.now() > deadline) {
      options.log(`  the machine is still busy (${other.toFixed(2)} cores used by others); going on`);
      return other;
    }
    if (performance.now() - told > 15_000) {
      options.log(`  waiting for a quiet machine: other processes use ${other.toFixed(2)} cores`);
      told = performance.now();
    }
  }
}
