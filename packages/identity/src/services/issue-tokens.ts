import { newId } from '@tenon/core';
import type { Executor } from '@tenon/db';
import { type IdentityDeps, REFRESH_TOKEN_DAYS, type RequestMeta } from '../context.ts';
import { insertRefreshToken } from '../repositories/session.repository.ts';
import { ACCESS_TOKEN_SECONDS, randomToken, signAccessToken, tokenHash } from '../tokens.ts';

export type TokenPair = { accessToken: string; refreshToken: string; expiresIn: number; tokenType: 'Bearer' };

/** A new access token and the next refresh token of the session `familyId` (a new session when null). */
export async function issueTokens(
  tx: Executor,
  deps: IdentityDeps,
  input: {
    userId: string;
    tenantId: string;
    tenant: string;
    familyId: string | null;
    passwordChangeRequired: boolean;
  },
  meta: RequestMeta,
): Promise<TokenPair & { sessionId: string }> {
  const now = deps.clock.now();
  const familyId = input.familyId ?? newId();
  const refreshToken = randomToken('tnr');
  await insertRefreshToken(tx, {
    familyId,
    userId: input.userId,
    tenantId: input.tenantId,
    hash: tokenHash(refreshToken),
    expiresAt: new Date(now.getTime() + REFRESH_TOKEN_DAYS * 86_400_000),
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  const accessToken = await signAccessToken(
    deps.key,
    {
      sub: input.userId,
      ten: input.tenant,
      sid: familyId,
      ...(input.passwordChangeRequired ? { pcr: true } : {}),
    },
    now,
  );
  return {
    accessToken,
    refreshToken,
    expiresIn: ACCESS_TOKEN_SECONDS,
    tokenType: 'Bearer',
    sessionId: familyId,
  };
}
