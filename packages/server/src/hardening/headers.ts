/**
 * Browser-facing headers: helmet's defaults (CSP, nosniff, referrer policy, frame options...), HSTS
 * only when asked, and CORS for an allowlist of origins. Must be installed before authentication, so
 * that a 401 or a 429 carries them too (a browser cannot read a cross-origin error without CORS).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { ResolvedHardening } from './config.ts';

/** Headers a browser client may read on a cross-origin response. */
const EXPOSED = [
  'etag',
  'x-trace-id',
  'retry-after',
  'idempotent-replayed',
  'content-disposition',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];

const INLINE_SCRIPT = /<script(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi;

/** `'sha256-…'` of every inline `<script>` of a page, as CSP wants them. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`,
  );
}

/**
 * The headers helmet sets for these options, computed once: they do not depend on the request (no CSP
 * nonces here), and building helmet's middleware on every request, as its Fastify plugin does, showed
 * in the read path's profile.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, () => {});
  return headers;
}

export async function installHeaders(app: FastifyInstance, config: ResolvedHardening): Promise<void> {
  const security = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        // Plain-HTTP installations on a LAN would lose every script and stylesheet of the docs page.
        'upgrade-insecure-requests': config.hsts ? [] : null,
      },
    },
    strictTransportSecurity: config.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(security);
    done();
  });

  // Pages rendered by the server itself (the API reference) allow exactly their own inline scripts.
  const hashes = new Map<string, string[]>();
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload !== 'string' || !String(reply.getHeader('content-type')).startsWith('text/html'))
      return payload;
    let own = hashes.get(payload);
    if (!own) {
      own = inlineScriptHashes(payload);
      if (hashes.size < 100) hashes.set(payload, own);
    }
    const csp = reply.getHeader('content-security-policy');
    if (own.length > 0 && typeof csp === 'string') {
      reply.header(
        'content-security-policy',
        csp.replace(
          /(^|;)script-src ([^;]*)/,
          (_m, lead: string, sources: string) => `${lead}script-src ${sources} ${own.join(' ')}`,
        ),
      );
    }
    return payload;
  });

  if (config.corsOrigins.length === 0) return;
  const any = config.corsOrigins.includes('*');
  const allowed = new Set(config.corsOrigins);
  await app.register(cors, {
    // Another origin gets no CORS header at all, and its preflight is a 404.
    origin: (origin, callback) => callback(null, origin !== undefined && (any || allowed.has(origin))),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED,
    credentials: false,
    maxAge: 600,
  });
}
