/** `/api/v1/auth/`: sign-in, token refresh, sign-out, password, MFA, sessions and API tokens. */
import { AppError } from '@tenon/core';
import {
  apiTokensOf,
  changePassword,
  confirmMfaEnrolment,
  createApiToken,
  deleteApiToken,
  disableMfa,
  IdentityErrors,
  login,
  logout,
  mfaStatus,
  refreshSession,
  revokeSession,
  sessionsOf,
  startMfaEnrolment,
} from '@tenon/identity';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authOf, metaOf, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });

/** Bodies are checked by schema: unknown properties refused, so nothing extra is ever assigned. */
const body = (properties: Record<string, unknown>, required: string[]) => ({
  body: { type: 'object', additionalProperties: false, properties, required },
});

function caller(request: FastifyRequest) {
  const auth = authOf(request);
  return { userId: auth.principal.userId, tenantId: auth.tenant.id, sessionId: auth.sessionId };
}

/** The caller of an account route (password, MFA, sessions, API tokens): a session, never an API token. */
function sessionCaller(request: FastifyRequest) {
  if (authOf(request).via === 'api_token') throw new AppError(IdentityErrors.AUTH_SESSION_REQUIRED);
  return caller(request);
}

export function authRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const identity = deps.identity;

  app.post<{
    Body: { username: string; password: string; tenant?: string; code?: string; recoveryCode?: string };
  }>(
    '/api/v1/auth/login',
    {
      schema: body(
        { username: text(64), password: text(200), tenant: text(40), code: text(6), recoveryCode: text(20) },
        ['username', 'password'],
      ),
    },
    async (request, reply) => {
      const { tenant, code, recoveryCode, ...credentials } = request.body;
      const result = await login(
        identity,
        {
          ...credentials,
          ...(tenant ? { tenant } : {}),
          ...(code ? { code } : {}),
          ...(recoveryCode ? { recoveryCode } : {}),
        },
        metaOf(request),
      );
      return send(reply, result);
    },
  );

  app.post<{ Body: { refreshToken: string } }>(
    '/api/v1/auth/refresh',
    { schema: body({ refreshToken: text(200) }, ['refreshToken']) },
    async (request, reply) =>
      send(reply, await refreshSession(identity, request.body.refreshToken, metaOf(request))),
  );

  app.post('/api/v1/auth/logout', async (request, reply) => {
    const signedOut = caller(request);
    await logout(identity, signedOut, metaOf(request));
    // This instance refuses the session's access token before the response goes out; the others
    // hear of it on ACCESS_CHANNEL (decision 0075).
    if (signedOut.sessionId) deps.auth.invalidateSession(signedOut.sessionId);
    return send(reply, { signedOut: true });
  });

  app.get('/api/v1/auth/me', async (request, reply) => {
    const auth = authOf(request);
    return send(reply, {
      user: { id: auth.principal.userId, username: auth.principal.username },
      tenant: auth.tenant.name,
      roles: auth.principal.roles,
      attributes: auth.principal.attributes,
      passwordChangeRequired: auth.passwordChangeRequired,
      via: auth.via,
    });
  });

  app.post<{ Body: { currentPassword: string; newPassword: string } }>(
    '/api/v1/auth/password',
    {
      schema: body({ currentPassword: text(200), newPassword: text(200) }, [
        'currentPassword',
        'newPassword',
      ]),
    },
    async (request, reply) => {
      await changePassword(identity, sessionCaller(request), request.body, metaOf(request));
      deps.auth.invalidateUser(authOf(request).principal.userId);
      return send(reply, { changed: true, signInAgain: true });
    },
  );

  app.get('/api/v1/auth/sessions', async (request, reply) => {
    const items = await sessionsOf(identity, sessionCaller(request));
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });

  app.delete<{ Params: { id: string } }>('/api/v1/auth/sessions/:id', async (request, reply) => {
    await revokeSession(identity, sessionCaller(request), request.params.id, metaOf(request));
    deps.auth.invalidateSession(request.params.id);
    return send(reply, { revoked: true });
  });

  app.get('/api/v1/auth/mfa', async (request, reply) =>
    send(reply, await mfaStatus(identity, sessionCaller(request))),
  );

  app.post('/api/v1/auth/mfa/setup', async (request, reply) =>
    send(reply, await startMfaEnrolment(identity, sessionCaller(request))),
  );

  app.post<{ Body: { code: string } }>(
    '/api/v1/auth/mfa/confirm',
    { schema: body({ code: text(6) }, ['code']) },
    async (request, reply) =>
      send(
        reply,
        await confirmMfaEnrolment(identity, sessionCaller(request), request.body.code, metaOf(request)),
      ),
  );

  app.post<{ Body: { password: string } }>(
    '/api/v1/auth/mfa/disable',
    { schema: body({ password: text(200) }, ['password']) },
    async (request, reply) => {
      await disableMfa(identity, sessionCaller(request), request.body.password, metaOf(request));
      return send(reply, { disabled: true });
    },
  );

  app.post<{ Body: { name: string; scopes: string[]; expiresInDays?: number } }>(
    '/api/v1/auth/tokens',
    {
      schema: body(
        {
          name: text(100),
          scopes: { type: 'array', minItems: 1, maxItems: 50, items: text(80) },
          expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 },
        },
        ['name', 'scopes'],
      ),
    },
    async (request, reply) => {
      const { userId, tenantId } = sessionCaller(request);
      const created = await createApiToken(identity, { userId, tenantId, ...request.body });
      return send(reply, created, 201);
    },
  );

  app.get('/api/v1/auth/tokens', async (request, reply) => {
    const { userId, tenantId } = sessionCaller(request);
    const items = await apiTokensOf(identity, userId, tenantId);
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });

  app.delete<{ Params: { id: string } }>('/api/v1/auth/tokens/:id', async (request, reply) => {
    await deleteApiToken(identity, sessionCaller(request).userId, request.params.id);
    deps.auth.invalidateApiToken(request.params.id);
    return send(reply, { revoked: true });
  });
}
