// Test runner: finds *.spec.ts files, runs them with Node's built-in test runner (through tsx),
// and prints a one-line summary as the very last line: `N passed, N failed[, N skipped]`.
//
//   npm test                 run every spec
//   npm test -- ddl money    run only specs whose path contains "ddl" or "money"
//
// TEST_DATABASE_URL selects PostgreSQL for integration tests; without it they use embedded PGlite.
// TEST_FILES_PER_PROCESS files share a process (default 6), TEST_CONCURRENCY processes at once
// (default 2). A process that hangs while starting (no CPU for TEST_STARTUP_HANG_SECONDS, default 90)
// is killed and its files run again once after the others.
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

/** Integration tests: the spec files that use a database (by the `*.int.spec.ts` convention). */
const isIntegration = (file) => /\.int\.spec\.tsx?$/.test(file);

// TEST_DATABASE_FILES_ONLY=1: only the files that use a database (`*.int.spec.ts`, browser tests).
// CI's PostgreSQL pass: the others (pure functions, console components) ran in its PGlite pass.
if (process.env.TEST_DATABASE_FILES_ONLY === '1') {
  const before = files.length;
  files = files.filter((f) => f.startsWith('e2e/') || isIntegration(f));
  console.log(`database files only: ${files.length} of ${before} (the others use no database)`);
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

// Several test files share one process (TEST_FILES_PER_PROCESS, default 6): starting Node, tsx and
// the platform's modules costs about 2 s of CPU per process, which 150 processes paid twice per CI
// run. A group's files are imported in order by scripts/test-group.mjs; node:test runs their suites
// one after another, as in a process of their own. TEST_CONCURRENCY groups run at once (default 2:
// one per core of the CI machine).
const PER_PROCESS = Math.max(1, Number(process.env.TEST_FILES_PER_PROCESS ?? 6));
const CONCURRENCY = Math.max(1, Number(process.env.TEST_CONCURRENCY ?? 2));
const GROUP_ENTRY = join(root, 'scripts', 'test-group.mjs');

/**
 * Files that keep global state of their own run alone: browser tests (e2e/) and the console's
 * component tests (apps/web/, one global DOM per file). The others share processes.
 */
const runsAlone = (file) => file.startsWith('e2e/') || file.startsWith('apps/web/');

/**
 * Longest first, so that no long process runs alone at the end while a core idles: browser files,
 * then the integration tests (`*.int.spec.ts`) in groups, then the console's component tests, then
 * the pure specs in groups (each a few seconds: they fill the end of the run evenly).
 */
function groupsOf(list) {
  const chunks = (files) => {
    const out = [];
    for (let i = 0; i < files.length; i += PER_PROCESS) out.push(files.slice(i, i + PER_PROCESS));
    return out;
  };
  const shared = list.filter((f) => !runsAlone(f));
  const integration = shared.filter(isIntegration);
  return [
    ...list.filter((f) => f.startsWith('e2e/')).map((f) => [f]),
    ...chunks(integration),
    ...list.filter((f) => runsAlone(f) && !f.startsWith('e2e/')).map((f) => [f]),
    ...chunks(shared.filter((f) => !integration.includes(f))),
  ];
}

const REPORTER = ['--test-reporter=spec', '--test-reporter-destination=stdout'];

/**
 * A shared group is imported by scripts/test-group.mjs; a file that runs alone goes through
 * `node --test` as it always did (its component tests end the process themselves once done, which
 * only `--test`'s parent, collecting results as they come, survives with a complete report).
 */
const argsFor = (group) =>
  group.length === 1 && runsAlone(group[0])
    ? ['--import', 'tsx', '--test', '--test-timeout=600000', ...REPORTER, group[0]]
    : ['--import', 'tsx', ...REPORTER, GROUP_ENTRY, ...group];

// A test process can deadlock while it starts: Node 20's module.register() (which `--import tsx`
// calls) sometimes waits for ever on its hooks thread, before any test runs. Such a process uses no
// CPU from then on. One that is older than STARTUP_HANG_SECONDS and has used less than a second of
// CPU has not even loaded its modules: it is killed, and its files run again once after the others.
const STARTUP_HANG_SECONDS = Number(process.env.TEST_STARTUP_HANG_SECONDS ?? 90);
const TICKS = 100; // USER_HZ

/**
 * Age of a process, and the pids and CPU seconds of it and its descendants (`node --test` runs a file
 * in a child), from /proc.
 */
function processTreeTimes(pid) {
  try {
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    const stats = new Map();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        stats.set(Number(name), {
          ppid: Number(fields[1]),
          cpu: (Number(fields[11]) + Number(fields[12])) / TICKS,
          start: Number(fields[19]) / TICKS,
        });
      } catch {
        // the process ended meanwhile
      }
    }
    const own = stats.get(pid);
    if (!own) return null;
    const tree = new Set([pid]);
    let cpu = 0;
    for (let grew = true; grew; ) {
      grew = false;
      for (const [other, stat] of stats) {
        if (!tree.has(other) && tree.has(stat.ppid)) {
          tree.add(other);
          grew = true;
        }
      }
    }
    for (const member of tree) cpu += stats.get(member).cpu;
    return { cpu, age: uptime - own.start, pids: [...tree] };
  } catch {
    return null; // not Linux
  }
}

const running = new Set();

/** One group in its own process; its report is printed whole when it ends, then its counts returned. */
async function runGroup(group) {
  const child = spawn(process.execPath, argsFor(group), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TENON_TEST: '1', FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
  });
  running.add(child);
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk) => {
    errors += chunk.toString('utf8');
  });
  let hung = false;
  const hangCheck = setInterval(() => {
    const times = processTreeTimes(child.pid);
    if (!times) return;
    // A second of CPU: it has started, and will not be checked again.
    if (times.cpu >= 1) clearInterval(hangCheck);
    if (times.cpu >= 1 || times.age < STARTUP_HANG_SECONDS) return;
    hung = true;
    console.error(
      `test: ${group.join(', ')} hung while starting (no CPU for ${STARTUP_HANG_SECONDS} s); killed, to run again`,
    );
    // The whole tree: under `node --test` the hung process is the child's child.
    for (const pid of times.pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, 10_000);
  const outputDone = Promise.all([
    new Promise((resolve) => child.stdout.on('end', resolve)),
    new Promise((resolve) => child.stderr.on('end', resolve)),
  ]);
  const { code, signal } = await new Promise((resolve) => {
    child.on('error', (err) => {
      errors += `test: could not start node: ${err.message}\n`;
      resolve({ code: 1, signal: null });
    });
    child.on('exit', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }));
  });
  clearInterval(hangCheck);
  running.delete(child);
  await outputDone;
  if (!hung) {
    process.stdout.write(`\n# ${group.join(' ')}\n${output}`);
    if (errors) process.stderr.write(errors);
  }
  const summary = parseSummary(output);
  if (!hung && !summary)
    console.error(`test: ${group.join(', ')} ended (${signal ?? `code ${code}`}) without a summary`);
  return { group, code, signal, output, summary, hung };
}

/** Runs the groups CONCURRENCY at a time; the results in the order the groups ended. */
async function runGroups(groups) {
  const queue = [...groups];
  const results = [];
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) results.push(await runGroup(group));
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, groups.length) }, worker));
  return results;
}

// Tests that are done but whose open handles keep a process alive would stall the run for ever:
// stop everything after TEST_WATCHDOG_MINUTES (default 40) and fail loudly.
const watchdogMinutes = Number(process.env.TEST_WATCHDOG_MINUTES ?? 40);
let timedOut = false;
const watchdog = setTimeout(() => {
  timedOut = true;
  console.error(`test: the run took longer than ${watchdogMinutes} minutes; stopping it`);
  for (const child of running) {
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  }
}, watchdogMinutes * 60_000);
watchdog.unref();

// Pass termination signals on to the test processes so they can clean up.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of running) child.kill(signal);
    process.exitCode = 1;
  });
}

const results = await runGroups(groupsOf(files));
// Groups killed while starting ran no test: run their files again, once.
const hungFiles = results.filter((r) => r.hung).flatMap((r) => r.group);
if (hungFiles.length > 0) {
  console.log(`\ntest: running again the ${hungFiles.length} file(s) that hung while starting`);
  results.push(...(await runGroups(groupsOf(hungFiles))));
}
clearTimeout(watchdog);

const summary = { passed: 0, failed: 0, skipped: 0 };
let failedProcesses = 0;
for (const result of results) {
  // A group killed while starting is counted by its rerun (below, if that hung too).
  if (result.hung) continue;
  if (result.summary) {
    summary.passed += result.summary.passed;
    summary.failed += result.summary.failed;
    summary.skipped += result.summary.skipped;
    // Every test passed but the process failed (an error after its test ended, as the report says
    // above): one failure, so that the last line tells what the exit code does.
    if (result.code !== 0 && result.summary.failed === 0) summary.failed += 1;
  } else {
    // A process that crashed or was stopped reported nothing trustworthy: each of its files fails.
    summary.failed += result.group.length;
  }
  if (result.code !== 0) failedProcesses++;
}
// A file that hung twice never ran.
const ranAgain = new Set(results.filter((r) => !r.hung).flatMap((r) => r.group));
const neverRan = hungFiles.filter((f) => !ranAgain.has(f));
summary.failed += neverRan.length;
for (const file of neverRan) console.error(`test: ${file} hung twice while starting; counted as failed`);

try {
  mkdirSync(join(root, '.test-results'), { recursive: true });
  writeFileSync(
    join(root, '.test-results', 'last-run-tail.txt'),
    results.map((r) => `# ${r.group.join(' ')}\n${r.output.slice(-20_000)}`).join('\n'),
  );
} catch {
  // not essential
}

if (failedProcesses > 0) console.error(`test: ${failedProcesses} test process(es) exited with failure`);
const line = `${summary.passed} passed, ${summary.failed} failed${summary.skipped > 0 ? `, ${summary.skipped} skipped` : ''}`;
process.stdout.write(`${line}\n`);
process.exitCode = timedOut || failedProcesses > 0 || summary.failed > 0 ? 1 : 0;
