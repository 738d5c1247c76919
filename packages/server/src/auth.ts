/** Every /api/ request is authenticated here, before any route runs; only sign-in and the docs page are public. */
import { AppError } from '@tenon/core';
import { IdentityErrors } from '@tenon/identity';
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from './context.ts';

// The live stream authenticates itself: EventSource sends its token as a query parameter.
const PUBLIC = new Set(['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/docs', '/api/v1/live']);
/** Routes a user who must change the password can still use. */
const DURING_PASSWORD_CHANGE = new Set(['/api/v1/auth/password', '/api/v1/auth/logout', '/api/v1/auth/me']);

export function installAuth(app: FastifyInstance, deps: ServerDeps): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url ?? request.url.split('?')[0]!;
    if (!route.startsWith('/api/') || PUBLIC.has(route) || route.startsWith('/api/docs/')) return;
    const auth = await deps.auth.authenticate(request.headers.authorization);
    if (auth.passwordChangeRequired && !DURING_PASSWORD_CHANGE.has(route)) {
      throw new AppError(IdentityErrors.AUTH_PASSWORD_CHANGE_REQUIRED);
    }
    request.auth = auth;
  });
}
