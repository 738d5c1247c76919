/** SQL for refresh-token families (sessions), API tokens, signing keys and auth events. */
import { randomBytes } from 'node:crypto';
import { newId } from '@tenon/core';
import { type Executor, PLATFORM_SCHEMA, sql } from '@tenon/db';
import { notifyAccessChange } from '../access-changes.ts';

const T = (name: string) => sql.id(PLATFORM_SCHEMA, name);

export type RefreshRow = {
  id: string;
  family_id: string;
  user_id: string;
  tenant_id: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
};

export async function insertRefreshToken(
  db: Executor,
  input: {
    familyId: string;
    userId: string;
    tenantId: string;
    hash: string;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await db.run(sql`
    INSERT INTO ${T('refresh_token')} (id, family_id, user_id, tenant_id, token_hash, expires_at, ip, user_agent)
    VALUES (${newId()}, ${input.familyId}, ${input.userId}, ${input.tenantId}, ${input.hash}, ${input.expiresAt.toISOString()},
            ${input.ip}, ${input.userAgent})`);
}

export async function findRefreshToken(db: Executor, hash: string): Promise<RefreshRow | null> {
  const { rows } = await db.run<RefreshRow>(
    sql`SELECT * FROM ${T('refresh_token')} WHERE token_hash = ${hash} FOR UPDATE`,
  );
  return rows[0] ?? null;
}

export async function markRefreshUsed(db: Executor, id: string): Promise<void> {
  await db.run(sql`UPDATE ${T('refresh_token')} SET used_at = now() WHERE id = ${id}`);
}

/** Ends a session (token family); announced to every instance when it ended one (decision 0075). */
export async function revokeFamily(db: Executor, familyId: string, userId?: string): Promise<number> {
  const owner = userId ? sql` AND user_id = ${userId}` : sql``;
  const { rows } = await db.run<{ n: number }>(sql`
    WITH revoked AS (
      UPDATE ${T('refresh_token')} SET revoked_at = now()
      WHERE family_id = ${familyId} AND revoked_at IS NULL${owner} RETURNING 1
    )
    SELECT count(*)::int AS n,
      CASE WHEN count(*) > 0 THEN ${notifyAccessChange({ kind: 'session', id: familyId })} END AS announced
    FROM revoked`);
  return rows[0]?.n ?? 0;
}

/** Ends every session of a user (a new password), and announces it. */
export async function revokeAllOfUser(db: Executor, userId: string): Promise<void> {
  await db.run(sql`
    WITH revoked AS (
      UPDATE ${T('refresh_token')} SET revoked_at = now() WHERE user_id = ${userId} AND revoked_at IS NULL
    )
    SELECT ${notifyAccessChange({ kind: 'user', id: userId })}`);
}

export type SessionRow = {
  id: string;
  tenant: string;
  started_at: string;
  last_used_at: string;
  ip: string | null;
  user_agent: string | null;
};

/** Open sessions: families with a live, unused, unrevoked token. */
export async function listSessions(db: Executor, userId: string, now: Date): Promise<SessionRow[]> {
  const { rows } = await db.run<SessionRow>(sql`
    SELECT r.family_id AS id, t.name AS tenant,
      (SELECT min(created_at) FROM ${T('refresh_token')} f WHERE f.family_id = r.family_id) AS started_at,
      r.created_at AS last_used_at, r.ip, r.user_agent
    FROM ${T('refresh_token')} r JOIN ${T('tenant')} t ON t.id = r.tenant_id
    WHERE r.user_id = ${userId} AND r.used_at IS NULL AND r.revoked_at IS NULL AND r.expires_at > ${now.toISOString()}
    ORDER BY r.created_at DESC`);
  return rows;
}

/** True while the session (family) has not been revoked. */
export async function isSessionActive(db: Executor, familyId: string): Promise<boolean> {
  const { rows } = await db.run<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM ${T('refresh_token')} WHERE family_id = ${familyId} AND revoked_at IS NOT NULL`,
  );
  return (rows[0]?.n ?? 0) === 0;
}

export type ApiTokenRow = {
  id: string;
  user_id: string;
  tenant_id: string;
  tenant: string;
  name: string;
  scopes: string[];
  expires_at: string | null;
  revoked_at: string | null;
};

/** A user's API tokens in one tenant, newest first: what they are, never their hashes. */
export type ApiTokenListing = {
  id: string;
  name: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
};

export async function listApiTokens(
  db: Executor,
  userId: string,
  tenantId: string,
): Promise<ApiTokenListing[]> {
  const { rows } = await db.run<ApiTokenListing>(sql`
    SELECT id, name, scopes, created_at, expires_at, last_used_at, revoked_at FROM ${T('api_token')}
    WHERE user_id = ${userId} AND tenant_id = ${tenantId} ORDER BY created_at DESC, id DESC`);
  return rows;
}

export async function insertApiToken(
  db: Executor,
  input: {
    userId: string;
    tenantId: string;
    name: string;
    hash: string;
    scopes: string[];
    expiresAt: Date | null;
  },
): Promise<string> {
  const id = newId();
  await db.run(sql`
    INSERT INTO ${T('api_token')} (id, user_id, tenant_id, name, token_hash, scopes, expires_at)
    VALUES (${id}, ${input.userId}, ${input.tenantId}, ${input.name}, ${input.hash}, ${input.scopes}, ${input.expiresAt?.toISOString() ?? null})`);
  return id;
}

export async function findApiToken(db: Executor, hash: string): Promise<ApiTokenRow | null> {
  const { rows } = await db.run<ApiTokenRow>(sql`
    SELECT a.*, t.name AS tenant FROM ${T('api_token')} a JOIN ${T('tenant')} t ON t.id = a.tenant_id
    WHERE a.token_hash = ${hash}`);
  return rows[0] ?? null;
}

/** Revokes one of the user's API tokens; announced to every instance when it revoked one. */
export async function revokeApiToken(db: Executor, id: string, userId: string): Promise<number> {
  const { rows } = await db.run<{ n: number }>(sql`
    WITH revoked AS (
      UPDATE ${T('api_token')} SET revoked_at = now()
      WHERE id = ${id} AND user_id = ${userId} AND revoked_at IS NULL RETURNING 1
    )
    SELECT count(*)::int AS n,
      CASE WHEN count(*) > 0 THEN ${notifyAccessChange({ kind: 'api_token', id })} END AS announced
    FROM revoked`);
  return rows[0]?.n ?? 0;
}

/** The JWT signing key: from TENON_JWT_SECRET, else generated once and kept in the platform schema. */
export async function signingKey(db: Executor, fromEnv: string | undefined): Promise<Uint8Array> {
  if (fromEnv) return new TextEncoder().encode(fromEnv);
  await db.run(sql`INSERT INTO ${T('secret')} (name, value) VALUES ('jwt', ${randomBytes(32).toString('base64')})
    ON CONFLICT (name) DO NOTHING`);
  const { rows } = await db.run<{ value: string }>(sql`SELECT value FROM ${T('secret')} WHERE name = 'jwt'`);
  return Buffer.from(rows[0]!.value, 'base64');
}

export type AuthEvent = {
  userId: string | null;
  tenantId: string | null;
  username: string | null;
  event: string;
  ip: string | null;
  userAgent: string | null;
  traceId: string | null;
};

export async function recordAuthEvent(db: Executor, input: AuthEvent): Promise<void> {
  await db.run(sql`INSERT INTO ${T('auth_event')} (id, user_id, tenant_id, username, event, ip, user_agent, trace_id)
    VALUES (${newId()}, ${input.userId}, ${input.tenantId}, ${input.username}, ${input.event}, ${input.ip}, ${input.userAgent},
            ${input.traceId})`);
}
