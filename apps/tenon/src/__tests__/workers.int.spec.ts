/**
 * Several server processes on one port (TENON_WORKERS, decision 0073). The pool runs against a
 * database of its own on the PostgreSQL server (each worker runs a kernel for every tenant it finds,
 * which must not touch the other test files' tenants); on PGlite, the setting is refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newId } from '@tenon/core';
import { testDatabaseKind } from '@tenon/db/testing';
import pg from 'pg';
import { ensureAdmin, ensureTenant, openSystem } from '../boot.ts';
import { loadConfig } from '../config.ts';
import { startWorkers, type WorkerPool } from '../workers.ts';

/** A GET on a connection of its own (no keep-alive), so the primary hands each to the next worker. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `http_request_duration_seconds_count` of a route, from a Prometheus text page. */
function requestCount(metrics: string, route: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (line.startsWith('http_request_duration_seconds_count{') && line.includes(`route="${route}"`))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

describe('TENON_WORKERS', () => {
  it('is one process by default, `auto` is one per core, and more than one needs PostgreSQL', () => {
    assert.equal(loadConfig({}).workers, 1);
    assert.equal(loadConfig({ TENON_WORKERS: '3', DATABASE_URL: 'postgres://x/y' }).workers, 3);
    assert.ok(loadConfig({ TENON_WORKERS: 'auto', DATABASE_URL: 'postgres://x/y' }).workers >= 1);
    assert.throws(() => loadConfig({ TENON_WORKERS: '2' }), /needs DATABASE_URL/);
    assert.equal(loadConfig({ TENON_WORKERS: '1' }).workers, 1);
    for (const bad of ['0', '-1', '1.5', 'two', '65'])
      assert.throws(
        () => loadConfig({ TENON_WORKERS: bad, DATABASE_URL: 'postgres://x/y' }),
        /TENON_WORKERS must be/,
      );
  });
});

describe('a pool of server processes', { skip: testDatabaseKind() !== 'postgres' }, () => {
  const admin = { username: 'ops', password: 'workers-password-2026' };
  let dir: string;
  let databaseUrl: string;
  let server: pg.Client;
  let pool: WorkerPool | undefined;
  const logs: string[] = [];
  const database = `tenon_workers_${newId().replaceAll('-', '').slice(-12)}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tenon-workers-'));
    server = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await server.connect();
    await server.query(`CREATE DATABASE ${database}`);
    const url = new URL(process.env.TEST_DATABASE_URL ?? '');
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
    const env = {
      DATABASE_URL: databaseUrl,
      TENON_DATA_DIR: join(dir, 'data'),
      TENON_TENANT: 'acme',
      TENON_ADMIN_USER: admin.username,
      TENON_ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'warn',
      PORT: '0',
      TENON_WORKERS: '2',
    };
    // What `tenon serve` does first in the primary: the database and the tenant made ready.
    const system = await openSystem(loadConfig(env));
    await ensureAdmin(system, await ensureTenant(system, 'acme'));
    await system.db.close();
    pool = await startWorkers({ count: 2, env: { ...process.env, ...env }, log: (line) => logs.push(line) });
  });

  after(async () => {
    await pool?.stop();
    await server.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await server.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves one port from two processes, and /metrics counts the requests of both', async () => {
    assert.ok(pool);
    const pids = pool.pids();
    assert.equal(pids.length, 2);
    assert.notEqual(pids[0], pids[1]);
    for (let i = 0; i < 20; i++) assert.equal((await get(`${pool.address}/health`)).status, 200);
    // Each connection went to one worker in turn: a worker's own registry holds about half of them.
    const metrics = await get(`${pool.address}/metrics`);
    assert.equal(metrics.status, 200);
    assert.ok(
      requestCount(metrics.body, '/health') >= 20,
      `counted ${requestCount(metrics.body, '/health')}`,
    );
  });

  it('a session opened on one worker is honoured by the others', async () => {
    assert.ok(pool);
    const login = await fetch(`${pool.address}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({ ...admin, tenant: 'acme' }),
    });
    assert.equal(login.status, 200);
    const token = ((await login.json()) as { data: { accessToken: string } }).data.accessToken;
    const me = () => get(`${pool!.address}/api/v1/auth/me`, { authorization: `Bearer ${token}` });
    for (let i = 0; i < 4; i++) {
      const res = await me();
      assert.equal(res.status, 200, res.body);
    }
    // Signed out through one worker: the others, which cached the session as active, refuse it too
    // (decision 0075), well before their 30-second cache would have let it go.
    const out = await fetch(`${pool.address}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, connection: 'close' },
    });
    assert.equal(out.status, 200);
    const deadline = Date.now() + 5000;
    for (;;) {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await me()).status);
      if (statuses.every((status) => status === 401)) break;
      assert.ok(Date.now() < deadline, `still accepted after signing out: ${statuses.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('keeps trying to replace a worker while the database refuses connections', async () => {
    assert.ok(pool);
    const [victim] = pool.pids();
    await server.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    try {
      process.kill(victim!, 'SIGKILL');
      // The replacement cannot open the database: it fails, and another is tried later.
      const deadline = Date.now() + 60_000;
      while (!logs.some((line) => line.includes('failed to start'))) {
        assert.ok(Date.now() < deadline, 'no replacement failed within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(pool.pids().length, 1);
      assert.ok(!pool.pids().includes(victim!));
    } finally {
      await server.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    }
    const deadline = Date.now() + 60_000;
    while (pool.pids().length < 2) {
      assert.ok(Date.now() < deadline, 'the pool did not come back to two workers within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  it('replaces a worker that dies, and stops every worker', async () => {
    assert.ok(pool);
    const [victim, survivor] = pool.pids();
    process.kill(victim!, 'SIGKILL');
    const deadline = Date.now() + 60_000;
    while (!(pool.pids().length === 2 && !pool.pids().includes(victim!))) {
      assert.ok(Date.now() < deadline, 'no replacement worker within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The survivor serves meanwhile, and a worker still starting does not hold up /metrics.
    for (let i = 0; i < 6; i++) {
      const metrics = await get(`${pool.address}/metrics`);
      assert.equal(metrics.status, 200, metrics.body);
      assert.ok(metrics.body.includes('process_cpu'));
    }
    const all = pool.pids();
    await pool.stop();
    pool = undefined;
    for (const pid of [...all, survivor!]) {
      assert.throws(() => process.kill(pid, 0), /ESRCH/, `process ${pid} still runs`);
    }
  });
});
