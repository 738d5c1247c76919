/** Users: created globally, then given a membership (roles and attributes) in a tenant. */
import { AppError } from '@tenon/core';
import { type Database, sql, type Tenant } from '@tenon/db';
import { notifyAccessChange } from '../access-changes.ts';
import { IdentityErrors } from '../errors.ts';
import { generatePassword, hashPassword, isStrongEnough } from '../passwords.ts';
import {
  countMembers,
  findUserByName,
  insertUser,
  upsertMembership,
} from '../repositories/user.repository.ts';

export type CreateUserInput = {
  username: string;
  password?: string;
  displayName?: string;
  email?: string;
  tenant: Tenant;
  roles: string[];
  attributes?: Record<string, unknown>;
  /** Force a password change at first sign-in (default: when no password was given). */
  mustChangePassword?: boolean;
  /**
   * An existing username gets the membership (the platform operator's CLI). Tenant administrators
   * pass false: they may not reach into users of other tenants (409 USER_EXISTS).
   */
  addToExisting?: boolean;
};

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;

/** Creates the user (or adds the membership to an existing one); returns a generated password when none was given. */
export async function createUser(
  db: Database,
  input: CreateUserInput,
): Promise<{ userId: string; password: string | null }> {
  if (!USERNAME.test(input.username)) {
    throw new AppError(IdentityErrors.USER_INVALID, {}, [
      { field: 'username', code: 'invalid', message: '2-64 letters, digits, . _ @ -' },
    ]);
  }
  const generated = input.password ? null : generatePassword();
  const password = input.password ?? generated!;
  if (!isStrongEnough(password, input.username)) throw new AppError(IdentityErrors.AUTH_WEAK_PASSWORD);
  const hash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const existing = await findUserByName(tx, input.username);
    if (existing && (input.password || input.addToExisting === false))
      throw new AppError(IdentityErrors.USER_EXISTS, { username: input.username });
    const user =
      existing ??
      (await insertUser(tx, {
        username: input.username,
        passwordHash: hash,
        mustChangePassword: input.mustChangePassword ?? generated !== null,
        ...(input.displayName ? { displayName: input.displayName } : {}),
        ...(input.email ? { email: input.email } : {}),
      }));
    if (!user) throw new AppError(IdentityErrors.USER_EXISTS, { username: input.username });
    await upsertMembership(tx, {
      userId: user.id,
      tenantId: input.tenant.id,
      roles: input.roles,
      attributes: input.attributes ?? {},
    });
    // An existing user gained a membership: instances that cached their memberships forget them.
    if (existing) await tx.run(sql`SELECT ${notifyAccessChange({ kind: 'user', id: user.id })}`);
    return { userId: user.id, password: existing ? null : generated };
  });
}

/**
 * First start of a tenant: an admin with a one-time password (printed once, changed at first
 * sign-in), or the password from TENON_ADMIN_PASSWORD with no forced change.
 */
export async function ensureTenantAdmin(
  db: Database,
  tenant: Tenant,
  options: { username: string; password?: string },
): Promise<{ created: boolean; username: string; password: string | null }> {
  if ((await countMembers(db, tenant.id)) > 0)
    return { created: false, username: options.username, password: null };
  const result = await createUser(db, {
    username: options.username,
    tenant,
    roles: ['admin'],
    displayName: 'Administrator',
    ...(options.password ? { password: options.password, mustChangePassword: false } : {}),
  });
  return { created: true, username: options.username, password: result.password };
}
