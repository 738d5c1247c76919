/** The console's files: index.html for client routes, immutable hashed assets, API 404s left alone. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { installErrorHandling } from '../../envelope.ts';
import { consoleRoutes } from '../console.routes.ts';

let dist: string;
let app: FastifyInstance;

before(async () => {
  dist = `${mkdtempSync(join(tmpdir(), 'tenon-console-'))}/`;
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dist, 'assets', 'index-AbC123.js'), 'console.log(1)');
  app = Fastify();
  installErrorHandling(app);
  app.get('/api/v1/ping', async () => ({ ok: true }));
  await consoleRoutes(app, { dist });
});

after(async () => {
  await app.close();
  rmSync(dist, { recursive: true, force: true });
});

test('/ and client-side routes get index.html, never cached', async () => {
  for (const url of ['/', '/data/patient/0190a0a0-0000-7000-8000-000000000001', '/designer']) {
    const res = await app.inject({ url, headers: { accept: 'text/html' } });
    assert.equal(res.statusCode, 200, url);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.match(res.body, /id="root"/);
  }
});

test('hashed assets are immutable for a year; missing or odd asset paths are 404', async () => {
  const res = await app.inject({ url: '/assets/index-AbC123.js' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal((await app.inject({ url: '/assets/missing-1.js' })).statusCode, 404);
  assert.equal((await app.inject({ url: '/assets/..%2F..%2Fetc%2Fpasswd' })).statusCode, 404);
});

test('API paths keep their own answers and their JSON 404', async () => {
  assert.equal((await app.inject({ url: '/api/v1/ping' })).statusCode, 200);
  const res = await app.inject({ url: '/api/v1/nothing/here/at/all', headers: { accept: 'text/html' } });
  assert.equal(res.statusCode, 404);
  assert.match(res.headers['content-type'] as string, /json/);
});

test('without a build, / says how to make one', async () => {
  const bare = Fastify();
  await consoleRoutes(bare, { dist: join(dist, 'nowhere/') });
  const res = await bare.inject({ url: '/' });
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /npm run build:web/);
  await bare.close();
});

test('an unknown path asked for by a non-browser client stays a JSON 404', async () => {
  const res = await app.inject({ url: '/no/such/page' });
  assert.equal(res.statusCode, 404);
  assert.match(res.headers['content-type'] as string, /json/);
  assert.equal((await app.inject({ url: '/', headers: { accept: '*/*' } })).statusCode, 200);
});
