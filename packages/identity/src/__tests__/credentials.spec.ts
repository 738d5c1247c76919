import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { generatePassword, hashPassword, isStrongEnough, verifyPassword } from '../passwords.ts';
import { lockoutSeconds } from '../services/login.service.ts';
import { AUDIENCE, ISSUER, signAccessToken, tokenHash, verifyAccessToken } from '../tokens.ts';
import { checkTotp, newRecoveryCodes, newTotpSecret, totpCodeAt } from '../totp.ts';

const key = new TextEncoder().encode('k'.repeat(32));
const now = new Date('2025-01-07T10:30:00Z');

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('correct horse battery');
    assert.match(hash, /^\$argon2id\$/);
    assert.equal(await verifyPassword(hash, 'correct horse battery'), true);
    assert.equal(await verifyPassword(hash, 'wrong horse battery'), false);
    assert.equal(await verifyPassword('not a hash', 'x'), false);
  });
  it('refuses short passwords and the username', () => {
    assert.equal(isStrongEnough('short', 'li'), false);
    assert.equal(isStrongEnough('Administrator', 'administrator'), false);
    assert.equal(isStrongEnough('a long enough one', 'li'), true);
    assert.equal(generatePassword().length, 16);
    assert.notEqual(generatePassword(), generatePassword());
  });
  it('locks out with exponential backoff after five failures', () => {
    assert.deepEqual([1, 4, 5, 6, 7, 20].map(lockoutSeconds), [0, 0, 30, 60, 120, 3600]);
  });
});

describe('access tokens', () => {
  it('round-trips the claims', async () => {
    const token = await signAccessToken(key, { sub: 'u1', ten: 'demo', sid: 's1' }, now);
    const claims = await verifyAccessToken(key, token, now);
    assert.equal(claims?.sub, 'u1');
    assert.equal(claims?.ten, 'demo');
  });
  it('rejects expired, not-yet-valid, forged, alg none and wrong-audience tokens', async () => {
    const token = await signAccessToken(key, { sub: 'u1', ten: 'demo' }, now);
    assert.equal(await verifyAccessToken(key, token, new Date(now.getTime() + 16 * 60_000)), null);
    assert.equal(await verifyAccessToken(key, token, new Date(now.getTime() - 60_000)), null);
    assert.equal(await verifyAccessToken(new TextEncoder().encode('x'.repeat(32)), token, now), null);
    const none = new UnsecuredJWT({ sub: 'u1', ten: 'demo' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now.getTime() / 1000)
      .setNotBefore(now.getTime() / 1000)
      .setExpirationTime(now.getTime() / 1000 + 60)
      .encode();
    assert.equal(await verifyAccessToken(key, none, now), null);
    const otherAudience = await new SignJWT({ sub: 'u1', ten: 'demo' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience('someone-else')
      .setIssuedAt(now.getTime() / 1000)
      .setNotBefore(now.getTime() / 1000)
      .setExpirationTime(now.getTime() / 1000 + 60)
      .sign(key);
    assert.equal(await verifyAccessToken(key, otherAudience, now), null);
    assert.equal(await verifyAccessToken(key, 'garbage', now), null);
  });
  it('hashes opaque tokens deterministically', () => {
    assert.equal(tokenHash('a'), tokenHash('a'));
    assert.notEqual(tokenHash('a'), tokenHash('b'));
  });
});

describe('TOTP', () => {
  it('accepts the current code and one step either side, nothing else', () => {
    const secret = newTotpSecret();
    assert.equal(checkTotp(secret, totpCodeAt(secret, now), now), true);
    assert.equal(checkTotp(secret, totpCodeAt(secret, new Date(now.getTime() - 30_000)), now), true);
    assert.equal(checkTotp(secret, totpCodeAt(secret, new Date(now.getTime() - 120_000)), now), false);
    assert.equal(checkTotp(secret, 'abcdef', now), false);
  });
  it('makes ten distinct recovery codes with their hashes', () => {
    const { codes, hashes } = newRecoveryCodes();
    assert.equal(new Set(codes).size, 10);
    assert.deepEqual(hashes, codes.map(tokenHash));
  });
});
