/**
 * The web console at `/`: the built files of apps/web/dist. Hashed assets (`/assets/*`) are cached for
 * a year as immutable; any other path that is not an API route gets index.html (the console routes
 * in the browser). Without a build, `/` says how to make one.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const CONSOLE_DIST = fileURLToPath(new URL('../../../../apps/web/dist/', import.meta.url));

const NOT_BUILT =
  '<!doctype html><meta charset="utf-8"><title>Tenon</title><h1>Tenon 榫卯</h1>' +
  '<p>控制台尚未构建：请运行 <code>npm run build:web</code>。 / The console is not built: run <code>npm run build:web</code>.</p>' +
  '<p><a href="/api/docs">API 文档 / API reference</a></p>';

/** Top-level routes of the console (apps/web/src/App.tsx); new screens add theirs here. */
export const CONSOLE_PATHS = ['data', 'designer', 'tasks', 'schedule', 'settings', 'ops', 'admin'];

export async function consoleRoutes(app: FastifyInstance, options: { dist?: string } = {}): Promise<void> {
  const dist = options.dist ?? CONSOLE_DIST;
  if (!existsSync(`${dist}index.html`)) {
    app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT));
    return;
  }
  // `serve: false`: only `reply.sendFile`; the routes below decide what each path gets.
  await app.register(fastifyStatic, { root: dist, serve: false, cacheControl: false });
  app.get('/assets/*', async (request, reply) => {
    const path = `assets/${(request.params as { '*': string })['*']}`;
    // Hashed names: safe to cache for ever. Only plain names inside assets/ are served.
    if (!/^assets\/[\w.-]+$/.test(path) || !existsSync(`${dist}${path}`)) return reply.callNotFound();
    return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path);
  });
  // The console's own routes (a reload on /data/patient/...) get the app; any other path keeps the
  // server's JSON 404, and /api is never shadowed.
  const page = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
  app.get('/', page);
  for (const prefix of CONSOLE_PATHS) {
    app.get(`/${prefix}`, page);
    app.get(`/${prefix}/*`, page);
  }
}
