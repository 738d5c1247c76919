/**
 * Access tokens: short-lived JWTs (HS256 only; exp, nbf, iss, aud checked). Refresh and API tokens:
 * random secrets of which only a SHA-256 hash is stored.
 */
import { createHash, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export const ISSUER = 'tenon';
export const AUDIENCE = 'tenon-api';
export const ACCESS_TOKEN_SECONDS = 15 * 60;

export type AccessClaims = {
  sub: string;
  /** tenant name */
  ten: string;
  /** session (refresh family) id; absent for API tokens */
  sid?: string;
  /** API token scopes */
  scp?: string[];
};

/** The HMAC key imported once per key (importing it on every call costs more than the check itself). */
const keyObjects = new WeakMap<Uint8Array, KeyObject>();
function keyObject(key: Uint8Array): KeyObject {
  let imported = keyObjects.get(key);
  if (!imported) {
    imported = createSecretKey(key);
    keyObjects.set(key, imported);
  }
  return imported;
}

export async function signAccessToken(key: Uint8Array, claims: AccessClaims, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_SECONDS)
    .sign(keyObject(key));
}

/** The claims of a valid token, or null for anything forged, expired, early, or meant for someone else. */
export async function verifyAccessToken(
  key: Uint8Array,
  token: string,
  now: Date,
): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, keyObject(key), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: now,
      requiredClaims: ['exp', 'nbf', 'iat', 'sub'],
    });
    if (typeof payload.sub !== 'string' || typeof payload.ten !== 'string') return null;
    return payload as unknown as AccessClaims;
  } catch (err) {
    if (err instanceof errors.JOSEError) return null;
    throw err;
  }
}

export function randomToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
