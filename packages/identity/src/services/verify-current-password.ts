/**
 * A signed-in user confirming their password (changing it, switching MFA off): wrong passwords count
 * towards the same lockout as sign-in, so a stolen session cannot be used to guess the password.
 */
import { AppError } from '@tenon/core';
import type { IdentityDeps, RequestMeta } from '../context.ts';
import { IdentityErrors } from '../errors.ts';
import { verifyPassword } from '../passwords.ts';
import { recordAuthEvent } from '../repositories/session.repository.ts';
import {
  findUserById,
  recordLoginFailure,
  recordLoginSuccess,
  type UserRow,
} from '../repositories/user.repository.ts';
import { lockoutSeconds } from './login.service.ts';
import type { Caller } from './manage-session.service.ts';

export async function verifyCurrentPassword(
  deps: IdentityDeps,
  caller: Caller,
  password: string,
  meta: RequestMeta,
): Promise<UserRow> {
  const now = deps.clock.now();
  // Errors are returned, not thrown, so that the counted failure commits.
  const outcome = await deps.db.transaction(async (tx): Promise<UserRow | AppError> => {
    const user = await findUserById(tx, caller.userId, true);
    if (!user) return new AppError(IdentityErrors.AUTH_REQUIRED);
    const event = (name: string) =>
      recordAuthEvent(tx, {
        userId: user.id,
        tenantId: caller.tenantId,
        username: user.username,
        event: name,
        ...meta,
      });
    if (user.locked_until && new Date(user.locked_until) > now) {
      await event('password_check_locked');
      const seconds = Math.ceil((new Date(user.locked_until).getTime() - now.getTime()) / 1000);
      return new AppError(IdentityErrors.AUTH_LOCKED, { seconds });
    }
    if (!(await verifyPassword(user.password_hash, password))) {
      const seconds = lockoutSeconds(user.failed_logins + 1);
      await recordLoginFailure(tx, user.id, seconds > 0 ? new Date(now.getTime() + seconds * 1000) : null);
      await event('password_check_failed');
      return new AppError(IdentityErrors.AUTH_INVALID_CREDENTIALS);
    }
    if (user.failed_logins > 0) await recordLoginSuccess(tx, user.id);
    return user;
  });
  if (outcome instanceof AppError) throw outcome;
  return outcome;
}
