/**
 * TOTP second factor through HTTP: enrolment, sign-in with a code or a single-use recovery code,
 * switching it off with the password.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkTotp, createUser, totpCodeAt } from '@tenon/identity';
import { createTestServer, type TestServer } from '../testing.ts';

const LOGIN = '/api/v1/auth/login';

describe('MFA', () => {
  let s: TestServer;
  let t = Date.now();
  const now = () => new Date(t);
  before(async () => {
    s = await createTestServer({ clock: { now } });
  });
  after(() => s.close());

  /** A six-digit code that is not valid now (nor one step either side). */
  const wrongCode = (secret: string) => {
    for (let n = Number(totpCodeAt(secret, now())); ; n = (n + 7919) % 1_000_000) {
      const code = String(n).padStart(6, '0');
      if (!checkTotp(secret, code, now())) return code;
    }
  };
  const signIn = (username: string, password: string, extra: Record<string, string> = {}) =>
    s.callAs(null, 'POST', LOGIN, { username, password, ...extra });
  const outcome = async (username: string, password: string, extra: Record<string, string> = {}) => {
    const res = await signIn(username, password, extra);
    return res.status === 200 ? 'ok' : `${res.status} ${res.body.error.code}`;
  };
  const eventsOf = async (userId: string) =>
    (
      await s.db.query<{ event: string }>(`SELECT event FROM tenon.auth_event WHERE user_id = $1`, [userId])
    ).rows.map((r) => r.event);

  /** A user with MFA switched on through the API; returns what the user was shown. */
  const enrolled = async (name: string) => {
    const username = `${name}@${s.tenant.name}`;
    const password = `${name}-password-1`;
    const { userId } = await createUser(s.db, { username, password, tenant: s.tenant, roles: [] });
    const token = (await signIn(username, password)).body.data.accessToken as string;
    const setup = await s.callAs(token, 'POST', '/api/v1/auth/mfa/setup');
    assert.equal(setup.status, 200, JSON.stringify(setup.body));
    const secret = setup.body.data.secret as string;
    const confirm = await s.callAs(token, 'POST', '/api/v1/auth/mfa/confirm', {
      code: totpCodeAt(secret, now()),
    });
    assert.equal(confirm.status, 200, JSON.stringify(confirm.body));
    // The confirming code is spent: the next sign-in needs a code of a later step.
    t += 30_000;
    return {
      username,
      password,
      userId,
      token,
      secret,
      uri: setup.body.data.uri as string,
      recoveryCodes: confirm.body.data.recoveryCodes as string[],
    };
  };

  it('setup returns a base32 secret and its otpauth URI; nothing changes before confirming', async () => {
    const username = `ada@${s.tenant.name}`;
    const password = 'ada-password-1';
    await createUser(s.db, { username, password, tenant: s.tenant, roles: [] });
    const token = (await signIn(username, password)).body.data.accessToken as string;
    const setup = await s.callAs(token, 'POST', '/api/v1/auth/mfa/setup');
    assert.equal(setup.status, 200, JSON.stringify(setup.body));
    const { secret, uri, qrSvg } = setup.body.data as { secret: string; uri: string; qrSvg: string };
    assert.match(secret, /^[A-Z2-7]{32}$/);
    // The URI as a QR code for the app to scan: an SVG of many modules.
    assert.match(qrSvg, /^<svg[^>]*viewBox="[^"]+"[\s\S]*<\/svg>\s*$/);
    assert.ok(qrSvg.length > 2000, `${qrSvg.length} characters`);
    const parsed = new URL(uri);
    assert.equal(parsed.protocol, 'otpauth:');
    assert.equal(parsed.host, 'totp');
    assert.equal(parsed.searchParams.get('secret'), secret);
    assert.equal(parsed.searchParams.get('issuer'), 'Tenon');
    assert.ok(decodeURIComponent(parsed.pathname).includes(username));
    assert.equal(await outcome(username, password), 'ok');
    assert.deepEqual((await s.callAs(token, 'GET', '/api/v1/auth/mfa')).body.data, {
      enabled: false,
      recoveryCodesLeft: 0,
    });

    const wrong = await s.callAs(token, 'POST', '/api/v1/auth/mfa/confirm', { code: wrongCode(secret) });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'AUTH_MFA_INVALID');
    const malformed = await s.callAs(token, 'POST', '/api/v1/auth/mfa/confirm', { code: '1234567' });
    assert.equal(malformed.status, 422);
    assert.equal(await outcome(username, password), 'ok');
  });

  it('confirming with the right code returns 10 recovery codes and switches MFA on', async () => {
    const u = await enrolled('bo');
    assert.equal(u.recoveryCodes.length, 10);
    assert.equal(new Set(u.recoveryCodes).size, 10);
    for (const code of u.recoveryCodes) assert.match(code, /^[0-9a-f]{5}-[0-9a-f]{5}$/);
    assert.equal(await outcome(u.username, u.password), '401 AUTH_MFA_REQUIRED');
    assert.ok((await eventsOf(u.userId)).includes('mfa_enabled'));
    assert.deepEqual((await s.callAs(u.token, 'GET', '/api/v1/auth/mfa')).body.data, {
      enabled: true,
      recoveryCodesLeft: 10,
    });
    // Neither the secret nor the recovery codes are stored in the clear.
    const { rows } = await s.db.query(`SELECT recovery_codes FROM tenon."user" WHERE id = $1`, [u.userId]);
    const stored = JSON.stringify(rows);
    for (const code of u.recoveryCodes) assert.equal(stored.includes(code), false);
  });

  it('sign-in then needs the code: missing, wrong, right', async () => {
    const u = await enrolled('cal');
    assert.equal(await outcome(u.username, u.password), '401 AUTH_MFA_REQUIRED');
    assert.equal(
      await outcome(u.username, u.password, { code: wrongCode(u.secret) }),
      '401 AUTH_MFA_INVALID',
    );
    assert.equal(await outcome(u.username, u.password, { code: 'abcdef' }), '401 AUTH_MFA_INVALID');
    t += 30_000;
    // A code from 30 s ago is still accepted, one from two minutes ago is not.
    assert.equal(
      await outcome(u.username, u.password, { code: totpCodeAt(u.secret, new Date(t - 30_000)) }),
      'ok',
    );
    const ok = await signIn(u.username, u.password, { code: totpCodeAt(u.secret, now()) });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal((await s.callAs(ok.body.data.accessToken, 'GET', '/api/v1/auth/me')).status, 200);
    const stale = totpCodeAt(u.secret, new Date(t - 120_000));
    if (!checkTotp(u.secret, stale, now()))
      assert.equal(await outcome(u.username, u.password, { code: stale }), '401 AUTH_MFA_INVALID');
  });

  it('a right code with a wrong password is still a wrong password', async () => {
    const u = await enrolled('dai');
    const code = totpCodeAt(u.secret, now());
    assert.equal(await outcome(u.username, 'not-the-password', { code }), '401 AUTH_INVALID_CREDENTIALS');
    assert.equal(
      await outcome(`nobody@${s.tenant.name}`, 'not-the-password', { code }),
      '401 AUTH_INVALID_CREDENTIALS',
    );
  });

  it('a recovery code works once only; the others stay valid', async () => {
    const u = await enrolled('eda');
    const [first, second] = u.recoveryCodes as [string, string];
    assert.equal(await outcome(u.username, u.password, { recoveryCode: first }), 'ok');
    assert.equal(await outcome(u.username, u.password, { recoveryCode: first }), '401 AUTH_MFA_INVALID');
    assert.equal(await outcome(u.username, u.password, { recoveryCode: ` ${second.toUpperCase()} ` }), 'ok');
    assert.equal(await outcome(u.username, u.password, { recoveryCode: second }), '401 AUTH_MFA_INVALID');
    assert.equal(
      await outcome(u.username, u.password, { recoveryCode: 'fffff-fffff' }),
      '401 AUTH_MFA_INVALID',
    );
    const used = (await eventsOf(u.userId)).filter((e) => e === 'mfa_recovery_code_used');
    assert.equal(used.length, 2);
  });

  it('the same recovery code sent twice at once signs in once', async () => {
    const u = await enrolled('fil');
    const code = u.recoveryCodes[0]!;
    const results = await Promise.all(
      [1, 2, 3].map(() => outcome(u.username, u.password, { recoveryCode: code })),
    );
    assert.deepEqual(results.sort(), ['401 AUTH_MFA_INVALID', '401 AUTH_MFA_INVALID', 'ok']);
  });

  it('wrong codes count towards the lockout', async () => {
    const u = await enrolled('gio');
    for (let i = 0; i < 5; i++)
      assert.equal(
        await outcome(u.username, u.password, { code: wrongCode(u.secret) }),
        '401 AUTH_MFA_INVALID',
      );
    assert.equal(
      await outcome(u.username, u.password, { code: totpCodeAt(u.secret, now()) }),
      '429 AUTH_LOCKED',
    );
    t += 30_000;
    assert.equal(await outcome(u.username, u.password, { code: totpCodeAt(u.secret, now()) }), 'ok');
  });

  it('setup again while MFA is on is refused and leaves MFA on', async () => {
    const u = await enrolled('hana');
    const token = (await signIn(u.username, u.password, { code: totpCodeAt(u.secret, now()) })).body.data
      .accessToken as string;
    const again = await s.callAs(token, 'POST', '/api/v1/auth/mfa/setup');
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.equal(again.body.error.code, 'AUTH_MFA_ENABLED');
    assert.equal(await outcome(u.username, u.password), '401 AUTH_MFA_REQUIRED');
    t += 30_000;
    assert.equal(await outcome(u.username, u.password, { code: totpCodeAt(u.secret, now()) }), 'ok');
  });

  it('a code is accepted once: replaying it, or an older one, is refused', async () => {
    const u = await enrolled('jun');
    const code = totpCodeAt(u.secret, now());
    assert.equal(await outcome(u.username, u.password, { code }), 'ok');
    assert.equal(await outcome(u.username, u.password, { code }), '401 AUTH_MFA_INVALID');
    const earlier = totpCodeAt(u.secret, new Date(t - 30_000));
    assert.equal(await outcome(u.username, u.password, { code: earlier }), '401 AUTH_MFA_INVALID');
    t += 30_000;
    assert.equal(await outcome(u.username, u.password, { code: totpCodeAt(u.secret, now()) }), 'ok');
  });

  it('wrong passwords when switching MFA off count towards the lockout', async () => {
    const u = await enrolled('kai');
    for (let i = 0; i < 5; i++) {
      const res = await s.callAs(u.token, 'POST', '/api/v1/auth/mfa/disable', { password: 'guess-number-x' });
      assert.equal(res.status, 401);
    }
    const locked = await s.callAs(u.token, 'POST', '/api/v1/auth/mfa/disable', { password: u.password });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, 'AUTH_LOCKED');
    assert.ok((await eventsOf(u.userId)).includes('password_check_failed'));
  });

  it('is switched off with the password only', async () => {
    const u = await enrolled('ines');
    const wrong = await s.callAs(u.token, 'POST', '/api/v1/auth/mfa/disable', {
      password: 'not-the-password',
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'AUTH_INVALID_CREDENTIALS');
    assert.equal(await outcome(u.username, u.password), '401 AUTH_MFA_REQUIRED');
    const missing = await s.callAs(u.token, 'POST', '/api/v1/auth/mfa/disable', {});
    assert.equal(missing.status, 422);
    const off = await s.callAs(u.token, 'POST', '/api/v1/auth/mfa/disable', { password: u.password });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    assert.equal(await outcome(u.username, u.password), 'ok');
    // The old recovery codes are gone with it.
    assert.equal(await outcome(u.username, u.password, { recoveryCode: u.recoveryCodes[0]! }), 'ok');
    const { rows } = await s.db.query<{ n: number }>(
      `SELECT jsonb_array_length(recovery_codes) AS n FROM tenon."user" WHERE id = $1`,
      [u.userId],
    );
    assert.equal(Number(rows[0]?.n), 0);
    assert.ok((await eventsOf(u.userId)).includes('mfa_disabled'));
  });
});
