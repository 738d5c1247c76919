/**
 * GET /api/v1/live: Server-Sent Events of the signed-in user's tenant. EventSource cannot set headers,
 * so the token may come as `?access_token=` as well as the bearer header; it is verified by the same
 * authenticator as every other request (the route is exempt from the global hook for that reason).
 * Process events go to whom they concern (own tasks, tasks for the user's roles and skills; `$process`
 * admins all); record events only name the record (no data) and only to users who may read the entity.
 */
import { AppError } from '@tenon/core';
import { IdentityErrors } from '@tenon/identity';
import { type LiveEvent, maySeeProcessEvent, PROCESS_STATE_CHANGED, skillsOf } from '@tenon/kernel';
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../context.ts';

export const LIVE_PATH = '/api/v1/live';
const KEEP_ALIVE_MS = 15_000;

export function liveRoutes(
  app: FastifyInstance,
  deps: ServerDeps,
  options: { keepAliveMs?: number } = {},
): void {
  app.get<{ Querystring: { access_token?: string } }>(LIVE_PATH, async (request, reply) => {
    const token = request.query.access_token;
    const header = request.headers.authorization ?? (token ? `Bearer ${token}` : undefined);
    const auth = await deps.auth.authenticate(header);
    if (auth.passwordChangeRequired) throw new AppError(IdentityErrors.AUTH_PASSWORD_CHANGE_REQUIRED);
    request.auth = auth;
    const bus = deps.kernel.live;
    const mayReadProcesses = auth.policy.decide('$process', 'read').allowed;
    const operator = {
      userId: auth.principal.userId,
      roles: auth.principal.roles,
      skills: skillsOf(auth.principal.attributes),
      isAdmin: auth.policy.decide('$process', 'admin').allowed,
    };
    const visible = (event: LiveEvent): LiveEvent | null => {
      if (event.topic === PROCESS_STATE_CHANGED) {
        return mayReadProcesses && maySeeProcessEvent(event.payload, operator) ? event : null;
      }
      if (event.entity && !event.entity.startsWith('_') && auth.policy.decide(event.entity, 'read').allowed) {
        return {
          topic: event.topic,
          entity: event.entity,
          recordId: event.recordId,
          payload: {},
          at: event.at,
        };
      }
      return null;
    };

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(`: connected${bus ? '' : ' (no live events on this instance)'}\n\n`);
    const unsubscribe =
      bus?.subscribe(auth.tenant.schemaName, (event) => {
        const shown = visible(event);
        if (shown) raw.write(`event: ${shown.topic}\ndata: ${JSON.stringify(shown)}\n\n`);
      }) ?? (() => {});
    const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), options.keepAliveMs ?? KEEP_ALIVE_MS);
    const close = () => {
      clearInterval(keepAlive);
      unsubscribe();
    };
    request.raw.on('close', close);
    raw.on('error', close);
  });
}
