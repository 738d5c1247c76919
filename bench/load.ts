/**
 * Drives the running server with autocannon (in a worker thread, so the load generator does not
 * share the server's event loop) and reads /metrics before and after each run: the growth of
 * `tenon_sql_statements_total` divided by the requests sent gives the SQL statements per request.
 */
import autocannon, { type Request } from 'autocannon';
import { type CpuUse, meterCpu } from './cpu.ts';

/** The three scenarios, and `pipeline`: an authenticated call that sends no SQL (diagnostic). */
export type ScenarioKey = 'read' | 'list' | 'create' | 'pipeline';

export type Scenario = {
  key: ScenarioKey;
  title: string;
  method: 'GET' | 'POST';
  /** The Fastify route, as /metrics labels it. */
  route: string;
  /** Sent in turn by every connection (a pre-generated list: no per-request setup cost). */
  requests: Request[];
};

export type ScenarioResult = {
  key: ScenarioKey;
  title: string;
  /** Tenon's server processes (TENON_WORKERS). */
  workers: number;
  connections: number;
  seconds: number;
  /** Completed requests as autocannon counted them. */
  requests: number;
  reqPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Requests of this route the server answered, and the SQL statements it sent meanwhile. */
  serverRequests: number;
  /** Requests sent, including those in flight when the run stopped (their SQL ran too). */
  sentRequests: number;
  statements: number;
  statementsPerRequest: number;
  /** CPU microseconds per request (Tenon's main threads, PostgreSQL) and other load meanwhile. */
  cpu: CpuUse;
};

type Scrape = { statements: number; requests: Map<string, number> };

const METRIC_LINE = /^(\w+)(?:\{([^}]*)\})? ([\d.eE+-]+)$/;

function labelsOf(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of (text ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

export async function scrapeMetrics(address: string): Promise<Scrape> {
  const response = await fetch(`${address}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const scrape: Scrape = { statements: Number.NaN, requests: new Map() };
  for (const line of (await response.text()).split('\n')) {
    const m = METRIC_LINE.exec(line);
    if (!m) continue;
    if (m[1] === 'tenon_sql_statements_total') scrape.statements = Number(m[3]);
    if (m[1] === 'http_request_duration_seconds_count') {
      const labels = labelsOf(m[2]);
      const key = `${labels.method} ${labels.route}`;
      scrape.requests.set(key, (scrape.requests.get(key) ?? 0) + Number(m[3]));
    }
  }
  if (Number.isNaN(scrape.statements)) throw new Error('/metrics has no tenon_sql_statements_total');
  return scrape;
}

const headersFor = (token: string) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
  'accept-language': 'en',
});

/**
 * Signs in as the bench tenant's administrator: every /api/ call needs a bearer token. Access tokens
 * last 15 minutes, so the caller signs in again before each run.
 */
export async function signIn(
  address: string,
  credentials: { username: string; password: string; tenant: string },
): Promise<string> {
  const response = await fetch(`${address}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  const body = (await response.json()) as { data?: { accessToken?: string; mustChangePassword?: boolean } };
  const token = body.data?.accessToken;
  if (!response.ok || !token || body.data?.mustChangePassword) {
    throw new Error(
      `signing in as ${credentials.username} failed (${response.status}): ${JSON.stringify(body)}`,
    );
  }
  return token;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the requests still in flight when autocannon stopped are done: those it abandoned
 * are never answered, but their SQL still runs, so the statement count must stand still too.
 */
async function settled(address: string, key: string): Promise<Scrape> {
  let last = await scrapeMetrics(address);
  for (let i = 0; i < 50; i++) {
    await pause(200);
    const next = await scrapeMetrics(address);
    if (next.requests.get(key) === last.requests.get(key) && next.statements === last.statements) return next;
    last = next;
  }
  return last;
}

export async function runScenario(
  address: string,
  scenario: Scenario,
  options: {
    connections: number;
    seconds: number;
    database: string;
    token: string;
    servers: readonly number[];
  },
): Promise<ScenarioResult> {
  const key = `${scenario.method} ${scenario.route}`;
  const before = await scrapeMetrics(address);
  const meter = meterCpu(options.database, { servers: options.servers });
  const result = await autocannon({
    url: address,
    connections: options.connections,
    duration: options.seconds,
    workers: 1,
    method: scenario.method,
    headers: headersFor(options.token),
    requests: scenario.requests,
    timeout: 10,
  });
  const after = await settled(address, key);
  const sent = Math.max(result.requests.sent, 1);
  const serverRequests = (after.requests.get(key) ?? 0) - (before.requests.get(key) ?? 0);
  const statements = after.statements - before.statements;
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count;
  return {
    key: scenario.key,
    title: scenario.title,
    workers: options.servers.length,
    connections: options.connections,
    seconds: result.duration,
    requests: result.requests.total,
    reqPerSec: result.requests.average,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    serverRequests,
    sentRequests: result.requests.sent,
    statements,
    statementsPerRequest: statements / Math.max(serverRequests, sent),
    cpu: meter.stop(Math.max(serverRequests, sent)),
  };
}

/** A short unmeasured run, so the JIT, the pool and PostgreSQL's caches are warm. */
export async function warmUp(
  address: string,
  scenario: Scenario,
  options: { seconds: number; token: string },
): Promise<void> {
  const seconds = options.seconds;
  if (seconds <= 0) return;
  const result = await autocannon({
    url: address,
    connections: 8,
    duration: seconds,
    workers: 1,
    method: scenario.method,
    headers: headersFor(options.token),
    requests: scenario.requests,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `warm-up of "${scenario.title}" failed: ${result.non2xx} non-2xx, ${result.errors} errors, ` +
        `status codes ${JSON.stringify(result.statusCodeStats)}`,
    );
  }
}
