/**
 * Password sign-in: argon2id check, lockout with exponential backoff after repeated failures (wrong
 * passwords and wrong one-time codes alike), tenant choice, TOTP or a recovery code when MFA is on,
 * then a new session.
 */
import { AppError } from '@tenon/core';
import type { Executor } from '@tenon/db';
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
import { acceptTotp } from '../totp.ts';
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
  const event = (db: Executor, event: string, userId: string | null, tenantId: string | null = null) =>
    recordAuthEvent(db, { userId, tenantId, username: input.username, event, ...meta });

  // The user's row stays locked from the lockout check until the outcome is recorded, so parallel
  // guesses are counted one after another and none gets past the lockout. Errors are returned, not
  // thrown, so that the recorded failure is committed.
  const outcome = await deps.db.transaction(async (tx): Promise<LoginResult | AppError | null> => {
    const user = await findUserByName(tx, input.username, true);
    if (!user) return null;
    const fail = async (name: string, tenantId: string | null = null) => {
      const seconds = lockoutSeconds(user.failed_logins + 1);
      await recordLoginFailure(tx, user.id, seconds > 0 ? new Date(now.getTime() + seconds * 1000) : null);
      await event(tx, name, user.id, tenantId);
    };
    if (user.locked_until && new Date(user.locked_until) > now) {
      await event(tx, 'login_locked', user.id);
      const seconds = Math.ceil((new Date(user.locked_until).getTime() - now.getTime()) / 1000);
      return new AppError(IdentityErrors.AUTH_LOCKED, { seconds });
    }
    if (!(await verifyPassword(user.password_hash, input.password))) {
      await fail('login_failed');
      return new AppError(IdentityErrors.AUTH_INVALID_CREDENTIALS);
    }
    if (user.disabled) {
      await event(tx, 'login_disabled', user.id);
      return new AppError(IdentityErrors.AUTH_DISABLED);
    }
    const memberships = await membershipsOf(tx, user.id);
    const membership = input.tenant
      ? memberships.find((m) => m.tenant === input.tenant)
      : memberships.length === 1
        ? memberships[0]
        : undefined;
    if (!membership) {
      if (!input.tenant && memberships.length > 1) {
        return new AppError(
          IdentityErrors.AUTH_TENANT_REQUIRED,
          {},
          memberships.map((m) => ({ field: 'tenant', code: 'option', message: m.tenant })),
        );
      }
      return new AppError(IdentityErrors.AUTH_NO_MEMBERSHIP);
    }
    if (membership.disabled) {
      await event(tx, 'login_disabled', user.id);
      return new AppError(IdentityErrors.AUTH_DISABLED);
    }

    let recoveryCodes: string[] | undefined;
    let totpStep: number | null = null;
    if (user.mfa_enabled) {
      if (input.recoveryCode) {
        const hash = tokenHash(input.recoveryCode.trim().toLowerCase());
        if (!user.recovery_codes.includes(hash)) {
          await fail('mfa_failed', membership.tenant_id);
          return new AppError(IdentityErrors.AUTH_MFA_INVALID);
        }
        recoveryCodes = user.recovery_codes.filter((h) => h !== hash);
        await event(tx, 'mfa_recovery_code_used', user.id, membership.tenant_id);
      } else if (!input.code) {
        return new AppError(IdentityErrors.AUTH_MFA_REQUIRED);
      } else {
        totpStep = acceptTotp(user, input.code, now);
        if (totpStep === null) {
          await fail('mfa_failed', membership.tenant_id);
          return new AppError(IdentityErrors.AUTH_MFA_INVALID);
        }
      }
    }

    await recordLoginSuccess(tx, user.id, { recoveryCodes, totpStep });
    const { sessionId: _, ...pair } = await issueTokens(
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
    await event(tx, 'login', user.id, membership.tenant_id);
    return {
      ...pair,
      user: { id: user.id, username: user.username, displayName: user.display_name },
      tenant: membership.tenant,
      mustChangePassword: user.must_change_password,
    };
  });
  if (outcome === null) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    await event(deps.db, 'login_failed', null);
    throw new AppError(IdentityErrors.AUTH_INVALID_CREDENTIALS);
  }
  if (outcome instanceof AppError) throw outcome;
  return outcome;
}
