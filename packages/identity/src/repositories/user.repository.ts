/** SQL for users and their memberships (platform schema). */
import { newId } from '@tenon/core';
import { type Executor, PLATFORM_SCHEMA, sql } from '@tenon/db';

const T = (name: string) => sql.id(PLATFORM_SCHEMA, name);

export type UserRow = {
  id: string;
  username: string;
  display_name: string | null;
  email: string | null;
  password_hash: string;
  must_change_password: boolean;
  disabled: boolean;
  failed_logins: number;
  locked_until: string | null;
  mfa_secret: string | null;
  mfa_enabled: boolean;
  /** The last TOTP step accepted (bigint, as text). */
  mfa_last_step: string | null;
  recovery_codes: string[];
};

export type MembershipRow = {
  tenant_id: string;
  tenant: string;
  roles: string[];
  attributes: Record<string, unknown>;
  /** Disabled in this tenant by its administrators (the user's other tenants are unaffected). */
  disabled: boolean;
};

export async function findUserByName(db: Executor, username: string, lock = false): Promise<UserRow | null> {
  const forUpdate = lock ? sql` FOR UPDATE` : sql``;
  const { rows } = await db.run<UserRow>(
    sql`SELECT * FROM ${T('user')} WHERE lower(username) = lower(${username})${forUpdate}`,
  );
  return rows[0] ?? null;
}

export async function findUserById(db: Executor, id: string, lock = false): Promise<UserRow | null> {
  const forUpdate = lock ? sql` FOR UPDATE` : sql``;
  const { rows } = await db.run<UserRow>(sql`SELECT * FROM ${T('user')} WHERE id = ${id}${forUpdate}`);
  return rows[0] ?? null;
}

export async function insertUser(
  db: Executor,
  input: {
    username: string;
    displayName?: string;
    email?: string;
    passwordHash: string;
    mustChangePassword: boolean;
  },
): Promise<UserRow | null> {
  const { rows } = await db.run<UserRow>(sql`
    INSERT INTO ${T('user')} (id, username, display_name, email, password_hash, must_change_password, password_changed_at)
    VALUES (${newId()}, ${input.username}, ${input.displayName ?? null}, ${input.email ?? null}, ${input.passwordHash},
            ${input.mustChangePassword}, now())
    ON CONFLICT DO NOTHING RETURNING *`);
  return rows[0] ?? null;
}

export async function recordLoginFailure(db: Executor, id: string, lockedUntil: Date | null): Promise<void> {
  await db.run(sql`UPDATE ${T('user')} SET failed_logins = failed_logins + 1, locked_until = ${lockedUntil?.toISOString() ?? null},
    updated_at = now() WHERE id = ${id}`);
}

export async function recordLoginSuccess(
  db: Executor,
  id: string,
  mfa: { recoveryCodes?: string[] | undefined; totpStep?: number | null | undefined } = {},
): Promise<void> {
  const codes =
    mfa.recoveryCodes === undefined ? sql`recovery_codes` : sql`${JSON.stringify(mfa.recoveryCodes)}::jsonb`;
  const step = mfa.totpStep == null ? sql`mfa_last_step` : sql`${mfa.totpStep}`;
  await db.run(sql`UPDATE ${T('user')} SET failed_logins = 0, locked_until = NULL, recovery_codes = ${codes},
    mfa_last_step = ${step}, updated_at = now() WHERE id = ${id}`);
}

export async function setPassword(db: Executor, id: string, passwordHash: string): Promise<void> {
  await db.run(sql`UPDATE ${T('user')} SET password_hash = ${passwordHash}, must_change_password = false,
    password_changed_at = now(), updated_at = now(), version = version + 1 WHERE id = ${id}`);
}

/** A password to be changed at the next sign-in; the account is unlocked. */
export async function setTemporaryPassword(db: Executor, id: string, passwordHash: string): Promise<void> {
  await db.run(sql`UPDATE ${T('user')} SET password_hash = ${passwordHash}, must_change_password = true,
    failed_logins = 0, locked_until = NULL, password_changed_at = now(), updated_at = now(), version = version + 1
    WHERE id = ${id}`);
}

export async function setMfa(
  db: Executor,
  id: string,
  input: { secret: string | null; enabled: boolean; recoveryCodes: string[]; lastStep?: number | null },
): Promise<void> {
  await db.run(sql`UPDATE ${T('user')} SET mfa_secret = ${input.secret}, mfa_enabled = ${input.enabled},
    recovery_codes = ${JSON.stringify(input.recoveryCodes)}::jsonb, mfa_last_step = ${input.lastStep ?? null},
    updated_at = now() WHERE id = ${id}`);
}

export async function setDisabled(db: Executor, id: string, disabled: boolean): Promise<void> {
  await db.run(sql`UPDATE ${T('user')} SET disabled = ${disabled}, updated_at = now() WHERE id = ${id}`);
}

export async function membershipsOf(db: Executor, userId: string): Promise<MembershipRow[]> {
  const { rows } = await db.run<MembershipRow>(sql`
    SELECT m.tenant_id, t.name AS tenant, m.roles, m.attributes, m.disabled FROM ${T('membership')} m
    JOIN ${T('tenant')} t ON t.id = m.tenant_id WHERE m.user_id = ${userId} ORDER BY t.name`);
  return rows;
}

export async function upsertMembership(
  db: Executor,
  input: { userId: string; tenantId: string; roles: string[]; attributes: Record<string, unknown> },
): Promise<void> {
  await db.run(sql`
    INSERT INTO ${T('membership')} (user_id, tenant_id, roles, attributes)
    VALUES (${input.userId}, ${input.tenantId}, ${input.roles}, ${JSON.stringify(input.attributes)}::jsonb)
    ON CONFLICT (user_id, tenant_id) DO UPDATE SET roles = EXCLUDED.roles, attributes = EXCLUDED.attributes, updated_at = now()`);
}

export async function countMembers(db: Executor, tenantId: string): Promise<number> {
  const { rows } = await db.run<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM ${T('membership')} WHERE tenant_id = ${tenantId}`,
  );
  return rows[0]?.n ?? 0;
}
