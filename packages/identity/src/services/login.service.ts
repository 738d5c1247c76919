/**
 * Password sign-in: argon2id check, lockout with exponential backoff after repeated failures,
 * tenant choice, TOTP or a recovery code when MFA is on, then a new session.
 */
import { AppError } from '@tenon/core';
import { type IdentityDeps, MAX_FAILED_LOGINS, type RequestMeta } from '../context.ts';
import { IdentityErrors } from '../errors.ts';
import { dummyPasswordHash, verifyPassword } from '../passwords.ts';
import { recordAuthEvent } from '../repositories/session.repository.ts';
import {
  findUserByName,
  membershipsOf,
  recordLoginFailure,
  recordLoginSuccess,
} from '../repositories/user.repository.ts';
import { tokenHash } from '../tokens.ts';
import { checkTotp } from '../totp.ts';
import { issueTokens, type TokenPair } from './issue-tokens.ts';

export type LoginInput = {
  username: string;
  password: string;
  tenant?: string;
  code?: string;
  recoveryCode?: string;
};

export type LoginResult = TokenPair & {
  user: { id: string; username: string; displayName: string | null };
  tenant: string;
  mustChangePassword: boolean;
};

/** Seconds locked after the n-th consecutive failure (n > MAX): 30 s doubling, at most an hour. */
export function lockoutSeconds(failures: number): number {
  if (failures < MAX_FAILED_LOGINS) return 0;
  return Math.min(30 * 2 ** (failures - MAX_FAILED_LOGINS), 3600);
}

export async function login(deps: IdentityDeps, input: LoginInput, meta: RequestMeta): Promise<LoginResult> {
  const now = deps.clock.now();
  const event = (event: string, userId: string | null, tenantId: string | null = null) =>
    recordAuthEvent(deps.db, { userId, tenantId, username: input.username, event, ...meta });

  const user = await findUserByName(deps.db, input.username);
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    await event('login_failed', null);
    throw new AppError(IdentityErrors.AUTH_INVALID_CREDENTIALS);
  }
  if (user.locked_until && new Date(user.locked_until) > now) {
    await event('login_locked', user.id);
    const seconds = Math.ceil((new Date(user.locked_until).getTime() - now.getTime()) / 1000);
    throw new AppError(IdentityErrors.AUTH_LOCKED, { seconds });
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    const seconds = lockoutSeconds(user.failed_logins + 1);
    await recordLoginFailure(deps.db, user.id, seconds > 0 ? new Date(now.getTime() + seconds * 1000) : null);
    await event('login_failed', user.id);
    throw new AppError(IdentityErrors.AUTH_INVALID_CREDENTIALS);
  }
  if (user.disabled) {
    await event('login_disabled', user.id);
    throw new AppError(IdentityErrors.AUTH_DISABLED);
  }
  const memberships = await membershipsOf(deps.db, user.id);
  const membership = input.tenant
    ? memberships.find((m) => m.tenant === input.tenant)
    : memberships.length === 1
      ? memberships[0]
      : undefined;
  if (!membership) {
    if (!input.tenant && memberships.length > 1) {
      throw new AppError(
        IdentityErrors.AUTH_TENANT_REQUIRED,
        {},
        memberships.map((m) => ({ field: 'tenant', code: 'option', message: m.tenant })),
      );
    }
    throw new AppError(IdentityErrors.AUTH_NO_MEMBERSHIP);
  }

  let recoveryCodes: string[] | undefined;
  if (user.mfa_enabled) {
    if (input.recoveryCode) {
      const hash = tokenHash(input.recoveryCode.trim().toLowerCase());
      if (!user.recovery_codes.includes(hash)) {
        await event('mfa_failed', user.id, membership.tenant_id);
        throw new AppError(IdentityErrors.AUTH_MFA_INVALID);
      }
      recoveryCodes = user.recovery_codes.filter((h) => h !== hash);
      await event('mfa_recovery_code_used', user.id, membership.tenant_id);
    } else if (!input.code) {
      throw new AppError(IdentityErrors.AUTH_MFA_REQUIRED);
    } else if (!checkTotp(user.mfa_secret!, input.code, now)) {
      await event('mfa_failed', user.id, membership.tenant_id);
      throw new AppError(IdentityErrors.AUTH_MFA_INVALID);
    }
  }

  const tokens = await deps.db.transaction(async (tx) => {
    await recordLoginSuccess(tx, user.id, recoveryCodes);
    return issueTokens(
      tx,
      deps,
      {
        userId: user.id,
        tenantId: membership.tenant_id,
        tenant: membership.tenant,
        familyId: null,
        passwordChangeRequired: user.must_change_password,
      },
      meta,
    );
  });
  await event('login', user.id, membership.tenant_id);
  const { sessionId: _, ...pair } = tokens;
  return {
    ...pair,
    user: { id: user.id, username: user.username, displayName: user.display_name },
    tenant: membership.tenant,
    mustChangePassword: user.must_change_password,
  };
}
