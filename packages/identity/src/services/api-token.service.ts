/** Scoped API tokens for integrations: shown once, stored as a hash, revocable. */
import { AppError, CoreErrors, isUuid } from '@tenon/core';
import type { IdentityDeps } from '../context.ts';
import { IdentityErrors } from '../errors.ts';
import {
  type ApiTokenListing,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
} from '../repositories/session.repository.ts';
import { randomToken, tokenHash } from '../tokens.ts';

const SCOPE = /^(\*|[a-z][a-z0-9_]*):(\*|\$?[a-z][a-z0-9_]*)$/;

export async function createApiToken(
  deps: IdentityDeps,
  input: { userId: string; tenantId: string; name: string; scopes: string[]; expiresInDays?: number },
): Promise<{ id: string; token: string }> {
  const bad = input.scopes.filter((s) => !SCOPE.test(s));
  if (input.scopes.length === 0 || bad.length > 0 || !input.name.trim()) {
    throw new AppError(IdentityErrors.ROLE_INVALID, {}, [
      { field: 'scopes', code: 'invalid', message: 'scopes look like read:* or create:sales_order' },
    ]);
  }
  const token = randomToken('tna');
  const expiresAt = input.expiresInDays
    ? new Date(deps.clock.now().getTime() + input.expiresInDays * 86_400_000)
    : null;
  const id = await insertApiToken(deps.db, {
    userId: input.userId,
    tenantId: input.tenantId,
    name: input.name.trim(),
    hash: tokenHash(token),
    scopes: input.scopes,
    expiresAt,
  });
  return { id, token };
}

export async function deleteApiToken(deps: IdentityDeps, userId: string, id: string): Promise<void> {
  const revoked = isUuid(id) ? await revokeApiToken(deps.db, id, userId) : 0;
  if (revoked === 0) throw new AppError(CoreErrors.NOT_FOUND, { what: `API token ${id}` });
}

/** The caller's API tokens in this tenant, revoked and expired ones included (marked by their dates). */
export function apiTokensOf(
  deps: IdentityDeps,
  userId: string,
  tenantId: string,
): Promise<ApiTokenListing[]> {
  return listApiTokens(deps.db, userId, tenantId);
}
