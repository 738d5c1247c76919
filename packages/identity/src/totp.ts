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

/** True when `code` is valid now or one step either side. */
export function checkTotp(secret: string, code: string, now: Date): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return totp(secret, 'x').validate({ token: code, timestamp: now.getTime(), window: 1 }) !== null;
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
