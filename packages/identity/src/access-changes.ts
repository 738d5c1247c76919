/**
 * Revocations reach every instance at once (decision 0075). Whatever ends a session, changes a user's
 * standing or revokes an API token announces it on ACCESS_CHANNEL, in the statement or transaction that
 * makes the change, so the announcement is delivered only if the change commits. Every server process
 * listens and drops what its Authenticator cached about it; the 30-second cache bound (decision 0051)
 * remains only for a listener that lost its connection.
 */
import { type Database, type RawBuilder, sql } from '@tenon/db';

export const ACCESS_CHANNEL = 'tenon_access';

/** A session (token family) ended, a user's standing changed, an API token was revoked. */
export type AccessChange = { kind: 'session' | 'user' | 'api_token'; id: string };

const KINDS = new Set<AccessChange['kind']>(['session', 'user', 'api_token']);

/** `SELECT pg_notify(...)` as an expression, to embed in the statement that makes the change. */
export function notifyAccessChange(change: AccessChange): RawBuilder<unknown> {
  return sql`pg_notify(${ACCESS_CHANNEL}, ${`${change.kind}:${change.id}`})`;
}

export function parseAccessChange(payload: string): AccessChange | null {
  const at = payload.indexOf(':');
  const kind = payload.slice(0, at) as AccessChange['kind'];
  const id = payload.slice(at + 1);
  return at > 0 && KINDS.has(kind) && id ? { kind, id } : null;
}

/** Anything that caches access state and can forget part of it. */
export type AccessCache = { forget(change: AccessChange): void };

/** Keeps `cache` in step with revocations committed by any instance; returns the stop function. */
export function watchAccessChanges(db: Database, cache: AccessCache): Promise<() => Promise<void>> {
  return db.listen(ACCESS_CHANNEL, (payload) => {
    const change = parseAccessChange(payload);
    if (change) cache.forget(change);
  });
}
