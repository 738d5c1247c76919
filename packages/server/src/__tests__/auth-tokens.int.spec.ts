/**
 * Access tokens through HTTP: anything forged, expired, early, for another audience or issuer, or
 * not a bearer JWT at all is a 401 on a protected endpoint; so is the token of a signed-out session.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createUser } from '@tenon/identity';
import { createTestServer, type TestServer } from '../testing.ts';

const ME = '/api/v1/auth/me';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed by hand, so every header and claim can be chosen. */
function jwt(key: Uint8Array | string, header: Record<string, unknown>, payload: Record<string, unknown>) {
  const input = `${b64(header)}.${b64(payload)}`;
  const alg = header.alg === 'HS512' ? 'sha512' : 'sha256';
  return `${input}.${createHmac(alg, key).update(input).digest('base64url')}`;
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

const HS256 = { alg: 'HS256', typ: 'JWT' };

describe('access tokens', () => {
  let s: TestServer;
  let key: Uint8Array;
  let claims: Record<string, unknown>;
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  /** The admin's real claims, valid now, with some replaced. */
  const valid = (changes: Record<string, unknown> = {}): Record<string, unknown> => {
    const iat = nowSeconds();
    return { ...claims, iat, nbf: iat, exp: iat + 900, ...changes };
  };
  const status = async (authorization: string | undefined) => {
    const res = await s.callAs(null, 'GET', ME, undefined, authorization ? { authorization } : {});
    return res.status === 200 ? 'ok' : `${res.status} ${res.body.error.code}`;
  };

  before(async () => {
    s = await createTestServer();
    key = s.deps.identity.key;
    claims = claimsOf(s.adminToken);
  });
  after(() => s.close());

  it('carries the expected claims, and a hand-made token with them is accepted (control)', async () => {
    assert.equal(claims.iss, 'tenon');
    assert.equal(claims.aud, 'tenon-api');
    assert.equal(claims.ten, s.tenant.name);
    assert.equal(typeof claims.sid, 'string');
    assert.equal(Number(claims.exp) - Number(claims.iat), 900);
    assert.equal(await status(`Bearer ${s.adminToken}`), 'ok');
    assert.equal(await status(`Bearer ${jwt(key, HS256, valid())}`), 'ok');
    assert.equal(await status(`bearer ${s.adminToken}`), 'ok');
  });

  it('refuses a token signed with another key', async () => {
    assert.equal(await status(`Bearer ${jwt('another-key', HS256, valid())}`), '401 AUTH_INVALID_TOKEN');
  });

  it('refuses a real token whose claims were changed', async () => {
    const [header, , signature] = s.adminToken.split('.');
    const other = await s.userWith({ username: 'mallory', roles: [] });
    const tampered = `${header}.${b64({ ...claims, sub: claimsOf(other).sub })}.${signature}`;
    assert.equal(await status(`Bearer ${tampered}`), '401 AUTH_INVALID_TOKEN');
  });

  it('refuses an expired token', async () => {
    const iat = nowSeconds() - 1000;
    const expired = jwt(key, HS256, valid({ iat, nbf: iat, exp: iat + 900 }));
    assert.equal(await status(`Bearer ${expired}`), '401 AUTH_INVALID_TOKEN');
  });

  it('refuses a token that is not valid yet', async () => {
    const iat = nowSeconds() + 120;
    const early = jwt(key, HS256, valid({ iat, nbf: iat, exp: iat + 900 }));
    assert.equal(await status(`Bearer ${early}`), '401 AUTH_INVALID_TOKEN');
  });

  it('refuses alg none and any algorithm but HS256', async () => {
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(valid())}.`;
    assert.equal(await status(`Bearer ${none}`), '401 AUTH_INVALID_TOKEN');
    const noneNoDot = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(valid())}`;
    assert.equal(await status(`Bearer ${noneNoDot}`), '401 AUTH_INVALID_TOKEN');
    const hs512 = jwt(key, { alg: 'HS512', typ: 'JWT' }, valid());
    assert.equal(await status(`Bearer ${hs512}`), '401 AUTH_INVALID_TOKEN');
  });

  it('refuses another audience or issuer, or a token missing them', async () => {
    assert.equal(
      await status(`Bearer ${jwt(key, HS256, valid({ aud: 'other-api' }))}`),
      '401 AUTH_INVALID_TOKEN',
    );
    assert.equal(
      await status(`Bearer ${jwt(key, HS256, valid({ iss: 'someone' }))}`),
      '401 AUTH_INVALID_TOKEN',
    );
    const { aud: _aud, ...noAudience } = valid();
    assert.equal(await status(`Bearer ${jwt(key, HS256, noAudience)}`), '401 AUTH_INVALID_TOKEN');
    const { exp: _exp, ...noExpiry } = valid();
    assert.equal(await status(`Bearer ${jwt(key, HS256, noExpiry)}`), '401 AUTH_INVALID_TOKEN');
  });

  it('refuses a token without a tenant, or for a tenant the user is not in', async () => {
    const { ten: _ten, ...noTenant } = valid();
    assert.equal(await status(`Bearer ${jwt(key, HS256, noTenant)}`), '401 AUTH_INVALID_TOKEN');
    assert.equal(
      await status(`Bearer ${jwt(key, HS256, valid({ ten: 'elsewhere' }))}`),
      '403 AUTH_NO_MEMBERSHIP',
    );
  });

  it('refuses garbage, a missing header and other schemes', async () => {
    assert.equal(await status('Bearer garbage'), '401 AUTH_INVALID_TOKEN');
    assert.equal(await status('Bearer a.b.c'), '401 AUTH_INVALID_TOKEN');
    assert.equal(await status('Bearer '), '401 AUTH_INVALID_TOKEN');
    assert.equal(await status(`Bearer ${s.adminToken} extra`), '401 AUTH_INVALID_TOKEN');
    assert.equal(await status(undefined), '401 AUTH_REQUIRED');
    const basic = Buffer.from(`admin@${s.tenant.name}:admin-password-1`).toString('base64');
    assert.equal(await status(`Basic ${basic}`), '401 AUTH_INVALID_TOKEN');
    assert.equal(await status(s.adminToken), '401 AUTH_INVALID_TOKEN');
  });

  it('guards every /api/ route, not only /auth/me', async () => {
    const forged = `Bearer ${jwt('another-key', HS256, valid())}`;
    for (const url of ['/api/v1/security/users', '/api/v1/meta/entities', '/api/v1/auth/sessions']) {
      const res = await s.callAs(null, 'GET', url, undefined, { authorization: forged });
      assert.equal(res.status, 401, url);
      assert.equal(res.body.data, null);
    }
  });
});

describe('access tokens over clock time', () => {
  let s: TestServer;
  let t = Date.now();
  before(async () => {
    s = await createTestServer({ clock: { now: () => new Date(t) } });
  });
  after(() => s.close());

  const signIn = async (name: string) => {
    const username = `${name}@${s.tenant.name}`;
    await createUser(s.db, { username, password: `${name}-password-1`, tenant: s.tenant, roles: [] });
    const res = await s.callAs(null, 'POST', '/api/v1/auth/login', {
      username,
      password: `${name}-password-1`,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.data as { accessToken: string; refreshToken: string };
  };

  it("refuses a signed-out session's access token within 30 s; other sessions go on", async () => {
    const session = await signIn('nora');
    const other = await signIn('olga');
    assert.equal((await s.callAs(session.accessToken, 'GET', ME)).status, 200);
    assert.equal((await s.callAs(other.accessToken, 'GET', ME)).status, 200);
    const out = await s.callAs(session.accessToken, 'POST', '/api/v1/auth/logout');
    assert.equal(out.status, 200, JSON.stringify(out.body));
    t += 30_000;
    const after = await s.callAs(session.accessToken, 'GET', ME);
    assert.equal(after.status, 401);
    assert.equal(after.body.error.code, 'AUTH_INVALID_TOKEN');
    assert.equal((await s.callAs(other.accessToken, 'GET', ME)).status, 200);
  });

  it('accepts a token until 15 minutes have passed, then refuses it', async () => {
    const session = await signIn('pia');
    t += 14 * 60_000;
    assert.equal((await s.callAs(session.accessToken, 'GET', ME)).status, 200);
    t += 2 * 60_000;
    const expired = await s.callAs(session.accessToken, 'GET', ME);
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, 'AUTH_INVALID_TOKEN');
    const admin = await s.call('GET', ME);
    assert.equal(admin.status, 401);
    // The refresh token of the session still gets a new access token.
    const refreshed = await s.callAs(null, 'POST', '/api/v1/auth/refresh', {
      refreshToken: session.refreshToken,
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal((await s.callAs(refreshed.body.data.accessToken, 'GET', ME)).status, 200);
  });
});
