/** TOTP enrolment (start, confirm with a code) and switching it off. */
import { AppError } from '@tenon/core';
import bwipjs from 'bwip-js';
import type { IdentityDeps, RequestMeta } from '../context.ts';
import { IdentityErrors } from '../errors.ts';
import { recordAuthEvent } from '../repositories/session.repository.ts';
import { findUserById, setMfa } from '../repositories/user.repository.ts';
import { newRecoveryCodes, newTotpSecret, totpStep, totpUri } from '../totp.ts';
import type { Caller } from './manage-session.service.ts';
import { verifyCurrentPassword } from './verify-current-password.ts';

async function userOf(deps: IdentityDeps, caller: Caller) {
  const user = await findUserById(deps.db, caller.userId);
  if (!user) throw new AppError(IdentityErrors.AUTH_REQUIRED);
  return user;
}

/** Whether the caller signs in with a one-time code, and how many recovery codes are left. */
export async function mfaStatus(
  deps: IdentityDeps,
  caller: Caller,
): Promise<{ enabled: boolean; recoveryCodesLeft: number }> {
  const user = await userOf(deps, caller);
  return {
    enabled: user.mfa_enabled,
    recoveryCodesLeft: user.mfa_enabled ? (user.recovery_codes ?? []).length : 0,
  };
}

/**
 * Step 1 (MFA off): a new secret (not active yet), its otpauth:// URI for the authenticator app, and
 * that URI as a QR code (SVG) for the app to scan.
 */
export async function startMfaEnrolment(
  deps: IdentityDeps,
  caller: Caller,
): Promise<{ secret: string; uri: string; qrSvg: string }> {
  const user = await userOf(deps, caller);
  // A new enrolment would replace the active secret: only /mfa/disable (with the password) may do that.
  if (user.mfa_enabled) throw new AppError(IdentityErrors.AUTH_MFA_ENABLED);
  const secret = newTotpSecret();
  await setMfa(deps.db, user.id, { secret, enabled: false, recoveryCodes: [] });
  const uri = totpUri(secret, user.username);
  return { secret, uri, qrSvg: bwipjs.toSVG({ bcid: 'qrcode', text: uri, scale: 3 }) };
}

/** Step 2: a valid code switches MFA on and returns the recovery codes (shown once). */
export async function confirmMfaEnrolment(
  deps: IdentityDeps,
  caller: Caller,
  code: string,
  meta: RequestMeta,
): Promise<{ recoveryCodes: string[] }> {
  const user = await userOf(deps, caller);
  const step = user.mfa_secret ? totpStep(user.mfa_secret, code, deps.clock.now()) : null;
  if (step === null) throw new AppError(IdentityErrors.AUTH_MFA_INVALID);
  const { codes, hashes } = newRecoveryCodes();
  // The confirming code is spent: sign-in needs a later one.
  await setMfa(deps.db, user.id, {
    secret: user.mfa_secret,
    enabled: true,
    recoveryCodes: hashes,
    lastStep: step,
  });
  await recordAuthEvent(deps.db, {
    userId: user.id,
    tenantId: caller.tenantId,
    username: user.username,
    event: 'mfa_enabled',
    ...meta,
  });
  return { recoveryCodes: codes };
}

export async function disableMfa(
  deps: IdentityDeps,
  caller: Caller,
  password: string,
  meta: RequestMeta,
): Promise<void> {
  const user = await verifyCurrentPassword(deps, caller, password, meta);
  await setMfa(deps.db, user.id, { secret: null, enabled: false, recoveryCodes: [] });
  await recordAuthEvent(deps.db, {
    userId: user.id,
    tenantId: caller.tenantId,
    username: user.username,
    event: 'mfa_disabled',
    ...meta,
  });
}
