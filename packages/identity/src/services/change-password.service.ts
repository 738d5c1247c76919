import { AppError } from '@tenon/core';
import type { Tenant } from '@tenon/db';
import type { IdentityDeps, RequestMeta } from '../context.ts';
import { IdentityErrors } from '../errors.ts';
import { generatePassword, hashPassword, isStrongEnough } from '../passwords.ts';
import { recordAuthEvent, revokeAllOfUser } from '../repositories/session.repository.ts';
import {
  findUserById,
  membershipsOf,
  setPassword,
  setTemporaryPassword,
} from '../repositories/user.repository.ts';
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

/**
 * An administrator (or the `tenon user reset-password` command) gives a user a new password: one
 * that must be changed at the next sign-in, generated unless given. The account is unlocked and every
 * session of the user ends, on every instance (decision 0075). `tenant` set: only a user who belongs to
 * that tenant alone; a user of other tenants too is not this tenant's administrators' to reset.
 */
export async function resetPassword(
  deps: IdentityDeps,
  input: { userId: string; tenant: Tenant | null; password?: string; actor: string },
  meta: RequestMeta,
): Promise<{ username: string; password: string }> {
  const password = input.password ?? generatePassword();
  return deps.db.transaction(async (tx) => {
    const user = await findUserById(tx, input.userId, true);
    const memberships = user ? await membershipsOf(tx, user.id) : [];
    if (!user || (input.tenant && !memberships.some((m) => m.tenant_id === input.tenant!.id)))
      throw new AppError(IdentityErrors.USER_NOT_FOUND, { username: input.userId });
    if (input.tenant && memberships.some((m) => m.tenant_id !== input.tenant!.id))
      throw new AppError(IdentityErrors.USER_OF_OTHER_TENANTS, { username: user.username });
    if (!isStrongEnough(password, user.username)) throw new AppError(IdentityErrors.AUTH_WEAK_PASSWORD);
    await setTemporaryPassword(tx, user.id, await hashPassword(password));
    await revokeAllOfUser(tx, user.id);
    await recordAuthEvent(tx, {
      userId: user.id,
      tenantId: input.tenant?.id ?? null,
      username: input.actor,
      event: 'password_reset',
      ...meta,
    });
    return { username: user.username, password };
  });
}
