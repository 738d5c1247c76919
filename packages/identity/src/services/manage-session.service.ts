/** Signing out, listing and revoking one's sessions. */
import { AppError, CoreErrors, isUuid } from '@tenon/core';
import type { IdentityDeps, RequestMeta } from '../context.ts';
import {
  listSessions,
  recordAuthEvent,
  revokeFamily,
  type SessionRow,
} from '../repositories/session.repository.ts';

export type Caller = { userId: string; tenantId: string | null; sessionId: string | null };

export async function logout(deps: IdentityDeps, caller: Caller, meta: RequestMeta): Promise<void> {
  if (caller.sessionId) await revokeFamily(deps.db, caller.sessionId, caller.userId);
  await recordAuthEvent(deps.db, {
    userId: caller.userId,
    tenantId: caller.tenantId,
    username: null,
    event: 'logout',
    ...meta,
  });
}

export function sessionsOf(
  deps: IdentityDeps,
  caller: Caller,
): Promise<(SessionRow & { current: boolean })[]> {
  return listSessions(deps.db, caller.userId, deps.clock.now()).then((rows) =>
    rows.map((r) => ({ ...r, current: r.id === caller.sessionId })),
  );
}

export async function revokeSession(
  deps: IdentityDeps,
  caller: Caller,
  sessionId: string,
  meta: RequestMeta,
): Promise<void> {
  // Not an id at all is simply no session of the caller (and must not reach a uuid column).
  const revoked = isUuid(sessionId) ? await revokeFamily(deps.db, sessionId, caller.userId) : 0;
  if (revoked === 0) throw new AppError(CoreErrors.NOT_FOUND, { what: `session ${sessionId}` });
  await recordAuthEvent(deps.db, {
    userId: caller.userId,
    tenantId: caller.tenantId,
    username: null,
    event: 'session_revoked',
    ...meta,
  });
}
