/** TOTP (RFC 6238) second factor and single-use recovery codes. */
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { tokenHash } from './tokens.ts';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: 'Tenon',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
}

export function totpUri(secret: string, label: string): string {
  return totp(secret, label).toString();
}

const PERIOD_MS = 30_000;

/** The time step (counter) of `code` when it is valid now or one step either side; else null. */
export function totpStep(secret: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret, 'x').validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / PERIOD_MS) + delta;
}

/** True when `code` is valid now or one step either side. */
export function checkTotp(secret: string, code: string, now: Date): boolean {
  return totpStep(secret, code, now) !== null;
}

/**
 * A code is accepted once (RFC 6238, 5.2): only a step later than the last one accepted for the
 * user, so a code seen over someone's shoulder cannot be replayed within its window.
 */
export function acceptTotp(
  user: { mfa_secret: string | null; mfa_last_step: string | number | null },
  code: string,
  now: Date,
): number | null {
  if (!user.mfa_secret) return null;
  const step = totpStep(user.mfa_secret, code, now);
  if (step === null) return null;
  if (user.mfa_last_step !== null && step <= Number(user.mfa_last_step)) return null;
  return step;
}

export function totpCodeAt(secret: string, now: Date): string {
  return totp(secret, 'x').generate({ timestamp: now.getTime() });
}

export function newRecoveryCodes(count = 10): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: count }, () => {
    const raw = randomBytes(5).toString('hex');
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  return { codes, hashes: codes.map(tokenHash) };
}
