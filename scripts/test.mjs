// Test runner: finds *.spec.ts files, runs them with Node's built-in test runner (through tsx),
// and prints a one-line summary as the very last line: `N passed, N failed[, N skipped]`.
//
//   npm test                 run every spec
//   npm test -- ddl money    run only specs whose path contains "ddl" or "money"
//
// TEST_DATABASE_URL selects PostgreSQL for integration tests; without it they use embedded PGlite.
// TEST_CONCURRENCY files at once (default 2). A file whose process hangs while starting (no CPU for
// TEST_STARTUP_HANG_SECONDS, default 90) is killed and run again once after the others.
// Writes only to .test-results/ and the OS temp dir.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SEARCH_ROOTS = ['packages', 'modules', 'apps', 'e2e'];
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'data', '.test-results', 'coverage']);

/** Recursively collects `*.spec.ts` files under `dir`, skipping node_modules and build output. */
function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out; // missing folder (e.g. no modules/ yet)
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(full, out);
    } else if (entry.isFile() && /\.spec\.tsx?$/.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

/** Every `<root>/<workspace>/src/**\/*.spec.ts`, as repo-relative paths with forward slashes. */
function findSpecFiles() {
  const files = [];
  for (const top of SEARCH_ROOTS) {
    let workspaces;
    try {
      workspaces = readdirSync(join(root, top), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const ws of workspaces) {
      // e2e/ holds browser specs directly (e2e/*.spec.ts); the others hold workspaces with a src/.
      if (top === 'e2e') {
        if (ws.isFile() && /\.spec\.tsx?$/.test(ws.name)) files.push(join(root, top, ws.name));
      } else if (ws.isDirectory() && !SKIP_DIRS.has(ws.name)) walk(join(root, top, ws.name, 'src'), files);
    }
  }
  return files.map((f) => relative(root, f).split(sep).join('/')).sort();
}

/** Describes the database the run will use, never printing a password. */
function describeDatabase(url) {
  if (!url) return 'PGlite (embedded)';
  try {
    const u = new URL(url);
    if (u.password) u.password = '';
    return `PostgreSQL ${u.toString()}`;
  } catch {
    return `PostgreSQL ${url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1@')}`;
  }
}

/**
 * Reads the spec reporter's closing counts (`ℹ pass N`, `ℹ fail N`, ...). They are printed on stdout,
 * which the runner flushes before it exits (a file reporter's stream may be cut short at exit).
 */
function parseSummary(text) {
  const counts = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^ℹ (pass|fail|skipped|cancelled|todo|tests) (\d+)\s*$/.exec(line);
    if (m) counts[m[1]] = Number(m[2]);
  }
  if (counts.pass === undefined || counts.fail === undefined) return null;
  return {
    passed: counts.pass,
    // A cancelled test (timeout, crashed file, unfinished subtest) did not pass: count it as a failure.
    failed: counts.fail + (counts.cancelled ?? 0),
    skipped: counts.skipped ?? 0,
  };
}

const filters = process.argv.slice(2).filter((a) => a !== '--');
const allFiles = findSpecFiles();
let files = filters.length ? allFiles.filter((f) => filters.some((s) => f.includes(s))) : allFiles;

// Browser tests need Debian's Chromium. A developer machine without it runs everything else and says
// so; CI (CI=true) installs it and never skips them.
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].some((p) => existsSync(p));
const browserSpecs = files.filter((f) => f.startsWith('e2e/'));
if (!CHROMIUM && process.env.CI !== 'true' && browserSpecs.length > 0 && files.length > browserSpecs.length) {
  console.log(
    `browser tests skipped (${browserSpecs.length} files): Chromium is not installed (apt-get install -y chromium)`,
  );
  files = files.filter((f) => !f.startsWith('e2e/'));
}

console.log(`database: ${describeDatabase(process.env.TEST_DATABASE_URL)}`);

if (files.length === 0) {
  const why = filters.length
    ? `no test files match ${filters.map((f) => JSON.stringify(f)).join(', ')} (${allFiles.length} spec files exist)`
    : `no test files found (looked for *.spec.ts under ${SEARCH_ROOTS.map((r) => `${r}/*/src`).join(', ')})`;
  console.error(`test: ${why}; a run with no tests is not a pass.`);
  process.exit(1);
}

console.log(`test files: ${files.length}${filters.length ? ` (filter: ${filters.join(' ')})` : ''}`);

const argsFor = (list) => [
  '--import',
  'tsx',
  '--test',
  // Test files at once (default 2: one per core of the CI machine).
  `--test-concurrency=${Number(process.env.TEST_CONCURRENCY ?? 2)}`,
  // No single test may run longer than 10 minutes (the watchdog below bounds the whole run).
  '--test-timeout=600000',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  ...list,
];

// A test file's process can deadlock while it starts: Node 20's module.register() (which `--import
// tsx` calls) sometimes waits for ever on its hooks thread, before any test runs. Such a process uses
// no CPU from then on. One that is older than STARTUP_HANG_SECONDS and has used less than a second of
// CPU has not even loaded its modules: it is killed, and its file runs again once after the run.
const STARTUP_HANG_SECONDS = Number(process.env.TEST_STARTUP_HANG_SECONDS ?? 90);
const TICKS = 100; // USER_HZ

function hungAtStartup(parentPid) {
  const hung = [];
  let uptime;
  try {
    uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  } catch {
    return hung; // not Linux
  }
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== parentPid) continue;
      const cpu = (Number(fields[11]) + Number(fields[12])) / TICKS;
      const age = uptime - Number(fields[19]) / TICKS;
      if (age < STARTUP_HANG_SECONDS || cpu >= 1) continue;
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const file = argv.find((a) => /\.spec\.tsx?$/.test(a));
      if (file) hung.push({ pid: Number(name), file: relative(root, file).split(sep).join('/') });
    } catch {
      // the process ended meanwhile
    }
  }
  return hung;
}

/** One `node --test` run over `list`; returns its exit, the tail of its report and the files killed. */
async function runFiles(list) {
  const child = spawn(process.execPath, argsFor(list), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TENON_TEST: '1', FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
  });
  // The report goes through as it comes; its last lines are kept for the summary.
  let tail = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-20_000);
  });
  const outputDone = new Promise((resolve) => child.stdout.on('end', resolve));

  const killed = [];
  const hangCheck = setInterval(() => {
    for (const { pid, file } of hungAtStartup(child.pid)) {
      console.error(
        `test: ${file} hung while starting (no CPU for ${STARTUP_HANG_SECONDS} s); killed, to run again`,
      );
      killed.push(file);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, 10_000);

  // A file whose tests are done but whose open handles keep it alive would stall the run for ever:
  // stop it after TEST_WATCHDOG_MINUTES (default 40) and fail loudly. (Node's --test-force-exit is
  // not used: it can end a file before all of its results are reported, and those tests would vanish
  // silently.)
  const watchdogMinutes = Number(process.env.TEST_WATCHDOG_MINUTES ?? 40);
  const watchdog = setTimeout(() => {
    console.error(`test: the run took longer than ${watchdogMinutes} minutes; stopping it`);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  }, watchdogMinutes * 60_000);
  watchdog.unref();

  // Pass termination signals on to the test process so it can clean up.
  const forward = (signal) => () => child.kill(signal);
  const onSigint = forward('SIGINT');
  const onSigterm = forward('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);

  const { code, signal } = await new Promise((resolve) => {
    child.on('error', (err) => {
      console.error(`test: could not start node: ${err.message}`);
      resolve({ code: 1, signal: null });
    });
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(watchdog);
  clearInterval(hangCheck);
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigterm);
  await outputDone;
  return { code, signal, tail, killed: [...new Set(killed)] };
}

const first = await runFiles(files);
let { code, signal, tail } = first;
let summary = parseSummary(tail);
// Files killed while starting ran no test; the runner counted each as one failure. Run them again.
if (summary && first.killed.length > 0) {
  console.log(`\ntest: running again the ${first.killed.length} file(s) that hung while starting`);
  const again = await runFiles(first.killed);
  const second = parseSummary(again.tail);
  if (second) {
    const failed = summary.failed - first.killed.length + second.failed;
    summary = {
      passed: summary.passed + second.passed,
      failed: Math.max(failed, second.failed),
      skipped: summary.skipped + second.skipped,
    };
    code = again.code === 0 && summary.failed === 0 ? 0 : 1;
    signal = again.signal;
    tail = again.tail;
  } else {
    code = again.code || 1;
    signal = again.signal;
  }
}
try {
  mkdirSync(join(root, '.test-results'), { recursive: true });
  writeFileSync(join(root, '.test-results', 'last-run-tail.txt'), tail);
} catch {
  // not essential
}

const childFailed = code !== 0;
if (childFailed) {
  console.error(`test: node --test exited with ${signal ? `signal ${signal}` : `code ${code}`}`);
}
const noSummary = !summary;
if (noSummary) {
  console.error('test: the test runner printed no summary; treating the run as failed.');
  summary = { passed: 0, failed: 0, skipped: 0 };
}

const line = `${summary.passed} passed, ${summary.failed} failed${summary.skipped > 0 ? `, ${summary.skipped} skipped` : ''}`;
process.stdout.write(`${line}\n`);
process.exitCode = childFailed || noSummary || summary.failed > 0 ? 1 : 0;
