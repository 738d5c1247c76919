/**
 * The baseline: pgbench's built-in TPC-B-like script against the same server and database, so the
 * API figures can be read as a ratio of what this machine's PostgreSQL does on its own.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openPostgres, sql } from '@tenon/db';

const run = promisify(execFile);

export const PGBENCH_SCALE = 10;

export type PgbenchResult = {
  tps: number;
  latencyMs: number | null;
  clients: number;
  threads: number;
  seconds: number;
  scale: number;
  initialized: boolean;
  /** Cores other processes used during the run (set by the caller). */
  otherCores?: number | null;
};

/** `$(pg_config --bindir)/pgbench`, else the newest /usr/lib/postgresql/<n>/bin/pgbench. */
export async function findPgbench(): Promise<string> {
  try {
    const { stdout } = await run('pg_config', ['--bindir']);
    const candidate = join(stdout.trim(), 'pgbench');
    if (existsSync(candidate)) return candidate;
  } catch {
    // pg_config is not on PATH: look in the Debian layout.
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    const candidate = join(root, v, 'bin', 'pgbench');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('pgbench not found: install the PostgreSQL server package or put pg_config on PATH');
}

/** True when pgbench's tables exist at the expected scale (10 branches for scale 10). */
async function initializedAt(url: string, scale: number): Promise<boolean> {
  const db = await openPostgres({ connectionString: url, max: 1 });
  try {
    const { rows } = await db.run<{ t: string | null }>(
      sql`SELECT to_regclass('public.pgbench_branches') AS t`,
    );
    if (!rows[0]?.t) return false;
    const counted = await db.run<{ n: number }>(sql`SELECT count(*)::int AS n FROM public.pgbench_branches`);
    return counted.rows[0]?.n === scale;
  } finally {
    await db.close();
  }
}

export async function runPgbench(
  url: string,
  options: { clients: number; threads: number; seconds: number },
  log: (line: string) => void,
): Promise<PgbenchResult> {
  const pgbench = await findPgbench();
  const ready = await initializedAt(url, PGBENCH_SCALE);
  if (!ready) {
    log(`pgbench -i -s ${PGBENCH_SCALE} (once; the tables stay in the bench database)`);
    await run(pgbench, ['-i', '-s', String(PGBENCH_SCALE), '-q', url], { maxBuffer: 16 * 1024 * 1024 });
  }
  const args = [
    // Vacuum all four tables first: autovacuum may be off on the server, and an accounts table
    // bloated by earlier runs would lower the baseline.
    '-v',
    '-c',
    String(options.clients),
    '-j',
    String(options.threads),
    '-T',
    String(options.seconds),
    url,
  ];
  log(`pgbench ${args.slice(0, -1).join(' ')} <bench database>`);
  const { stdout } = await run(pgbench, args, { maxBuffer: 16 * 1024 * 1024 });
  const tps = /tps = ([\d.]+)/.exec(stdout);
  if (!tps) throw new Error(`could not read tps from pgbench output:\n${stdout}`);
  const latency = /latency average = ([\d.]+) ms/.exec(stdout);
  return {
    tps: Number(tps[1]),
    latencyMs: latency ? Number(latency[1]) : null,
    clients: options.clients,
    threads: options.threads,
    seconds: options.seconds,
    scale: PGBENCH_SCALE,
    initialized: !ready,
  };
}
