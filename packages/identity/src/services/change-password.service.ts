import { AppError } from '@tenon/core';
import type { IdentityDeps, RequestMeta } from '../context.ts';
import { IdentityErrors } from '../errors.ts';
import { hashPassword, isStrongEnough } from '../passwords.ts';
import { recordAuthEvent, revokeAllOfUser } from '../repositories/session.repository.ts';
import { setPassword } from '../repositories/user.repository.ts';
import type { Caller } from './manage-session.service.ts';
import { verifyCurrentPassword } from './verify-current-password.ts';

/** Changes the password; every other session of the user is signed out. */
export async function changePassword(
  deps: IdentityDeps,
  caller: Caller,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const user = await verifyCurrentPassword(deps, caller, input.currentPassword, meta);
  if (!isStrongEnough(input.newPassword, user.username) || input.newPassword === input.currentPassword) {
    throw new AppError(IdentityErrors.AUTH_WEAK_PASSWORD);
  }
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction(async (tx) => {
    await setPassword(tx, user.id, hash);
    await revokeAllOfUser(tx, user.id);
  });
  await recordAuthEvent(deps.db, {
    userId: user.id,
    tenantId: caller.tenantId,
    username: user.username,
    event: 'password_changed',
    ...meta,
  });
}
