/**
 * Refresh: each refresh token works once and is replaced; presenting a used one again means it
 * leaked, so the whole session (token family) is revoked.
 */
import { AppError } from '@tenon/core';
import { PLATFORM_SCHEMA, sql } from '@tenon/db';
import type { IdentityDeps, RequestMeta } from '../context.ts';
import { IdentityErrors } from '../errors.ts';
import {
  findRefreshToken,
  markRefreshUsed,
  recordAuthEvent,
  revokeFamily,
} from '../repositories/session.repository.ts';
import { findUserById } from '../repositories/user.repository.ts';
import { tokenHash } from '../tokens.ts';
import { issueTokens, type TokenPair } from './issue-tokens.ts';

export async function refreshSession(
  deps: IdentityDeps,
  refreshToken: string,
  meta: RequestMeta,
): Promise<TokenPair> {
  const outcome = await deps.db.transaction(async (tx) => {
    const row = await findRefreshToken(tx, tokenHash(refreshToken));
    if (!row || row.revoked_at) return { error: 'invalid' as const, row };
    if (row.used_at) {
      await revokeFamily(tx, row.family_id);
      return { error: 'reuse' as const, row };
    }
    if (new Date(row.expires_at) <= deps.clock.now()) return { error: 'invalid' as const, row };
    const user = await findUserById(tx, row.user_id);
    if (!user || user.disabled) return { error: 'invalid' as const, row };
    // The membership must still be there and enabled in this tenant.
    const { rows } = await tx.run<{ name: string }>(
      sql`SELECT t.name FROM ${sql.id(PLATFORM_SCHEMA, 'membership')} m
          JOIN ${sql.id(PLATFORM_SCHEMA, 'tenant')} t ON t.id = m.tenant_id
          WHERE m.user_id = ${row.user_id} AND m.tenant_id = ${row.tenant_id} AND NOT m.disabled`,
    );
    if (!rows[0]) return { error: 'invalid' as const, row };
    await markRefreshUsed(tx, row.id);
    const tokens = await issueTokens(
      tx,
      deps,
      {
        userId: row.user_id,
        tenantId: row.tenant_id,
        tenant: rows[0]!.name,
        familyId: row.family_id,
        passwordChangeRequired: user.must_change_password,
      },
      meta,
    );
    return { tokens, row };
  });
  if ('error' in outcome) {
    if (outcome.error === 'reuse' && outcome.row) {
      await recordAuthEvent(deps.db, {
        userId: outcome.row.user_id,
        tenantId: outcome.row.tenant_id,
        username: null,
        event: 'refresh_reuse_detected',
        ...meta,
      });
    }
    throw new AppError(IdentityErrors.AUTH_REFRESH_INVALID);
  }
  const { sessionId: _, ...pair } = outcome.tokens;
  return pair;
}
