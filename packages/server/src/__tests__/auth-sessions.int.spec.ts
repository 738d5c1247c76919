/**
 * Sessions through HTTP: refresh-token rotation and reuse detection, signing out, listing one's
 * sessions and revoking one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUser } from '@tenon/identity';
import { createTestServer, type TestServer } from '../testing.ts';

const REFRESH = '/api/v1/auth/refresh';
const SESSIONS = '/api/v1/auth/sessions';
const ME = '/api/v1/auth/me';

type Pair = { accessToken: string; refreshToken: string };

const sidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

describe('sessions', () => {
  let s: TestServer;
  let t = Date.now();
  before(async () => {
    s = await createTestServer({ clock: { now: () => new Date(t) } });
  });
  after(() => s.close());

  const users = new Map<string, string>();
  /** Signs `name` in (created on first use); a new session each time. */
  const signIn = async (name: string, userAgent = 'test-agent'): Promise<Pair & { userId: string }> => {
    const username = `${name}@${s.tenant.name}`;
    const password = `${name}-password-1`;
    if (!users.has(name)) {
      users.set(name, (await createUser(s.db, { username, password, tenant: s.tenant, roles: [] })).userId);
    }
    const res = await s.callAs(
      null,
      'POST',
      '/api/v1/auth/login',
      { username, password },
      { 'user-agent': userAgent },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { ...res.body.data, userId: users.get(name)! };
  };
  const refresh = async (refreshToken: string) => {
    const res = await s.callAs(null, 'POST', REFRESH, { refreshToken });
    return res.status === 200 ? (res.body.data as Pair) : `${res.status} ${res.body.error.code}`;
  };
  const eventsOf = async (userId: string) =>
    (
      await s.db.query<{ event: string }>(
        `SELECT event FROM tenon.auth_event WHERE user_id = $1 ORDER BY at, id`,
        [userId],
      )
    ).rows.map((r) => r.event);

  describe('refresh', () => {
    it('returns a new pair of the same session; the used refresh token is then refused', async () => {
      const first = await signIn('ann');
      const second = await refresh(first.refreshToken);
      assert.notEqual(typeof second, 'string', String(second));
      const pair = second as Pair;
      assert.match(pair.refreshToken, /^tnr_/);
      assert.notEqual(pair.refreshToken, first.refreshToken);
      assert.equal(sidOf(pair.accessToken), sidOf(first.accessToken));
      const me = await s.callAs(pair.accessToken, 'GET', ME);
      assert.equal(me.status, 200);
      assert.equal(me.body.data.user.id, first.userId);
      assert.equal(await refresh(first.refreshToken), '401 AUTH_REFRESH_INVALID');
    });

    it('a reused refresh token revokes the whole family, and says so in the sign-in log', async () => {
      const first = await signIn('ben');
      const bystander = await signIn('ben');
      const second = (await refresh(first.refreshToken)) as Pair;
      const third = (await refresh(second.refreshToken)) as Pair;
      assert.equal((await s.callAs(third.accessToken, 'GET', ME)).status, 200);
      assert.equal((await eventsOf(first.userId)).includes('refresh_reuse_detected'), false);

      // Someone replays the token used first: the newest token of that family dies with it.
      assert.equal(await refresh(first.refreshToken), '401 AUTH_REFRESH_INVALID');
      assert.equal(await refresh(third.refreshToken), '401 AUTH_REFRESH_INVALID');
      assert.equal((await eventsOf(first.userId)).filter((e) => e === 'refresh_reuse_detected').length, 1);
      t += 30_000;
      const me = await s.callAs(third.accessToken, 'GET', ME);
      assert.equal(me.status, 401);
      assert.equal(me.body.error.code, 'AUTH_INVALID_TOKEN');

      // Another session of the same user is not that family.
      assert.equal((await s.callAs(bystander.accessToken, 'GET', ME)).status, 200);
      assert.notEqual(typeof (await refresh(bystander.refreshToken)), 'string');
    });

    it('refuses unknown and malformed refresh tokens, and unknown properties', async () => {
      assert.equal(await refresh('tnr_not-a-real-token'), '401 AUTH_REFRESH_INVALID');
      const empty = await s.callAs(null, 'POST', REFRESH, { refreshToken: '' });
      assert.equal(empty.status, 422);
      const missing = await s.callAs(null, 'POST', REFRESH, {});
      assert.equal(missing.status, 422);
      assert.equal(missing.body.error.details[0].field, 'refreshToken');
      const { refreshToken } = await signIn('cat');
      const extra = await s.callAs(null, 'POST', REFRESH, { refreshToken, userId: 'x' });
      assert.equal(extra.status, 422);
      assert.equal(extra.body.error.details[0].code, 'unknown_field');
      // The refused request did not use the token up.
      assert.notEqual(typeof (await refresh(refreshToken)), 'string');
    });

    it('refuses a refresh token after its 14 days', async () => {
      const { refreshToken } = await signIn('cid');
      const keep = await signIn('cid');
      t += 13 * 86_400_000;
      const fresh = await refresh(keep.refreshToken);
      assert.notEqual(typeof fresh, 'string', String(fresh));
      t += 86_400_000 + 1_000;
      assert.equal(await refresh(refreshToken), '401 AUTH_REFRESH_INVALID');
      // A token issued a day ago by the refresh is still valid.
      assert.notEqual(typeof (await refresh((fresh as Pair).refreshToken)), 'string');
    });
  });

  describe('list, revoke, sign out', () => {
    type Session = { id: string; tenant: string; current: boolean; user_agent: string | null };
    const list = async (token: string) => {
      const res = await s.callAs(token, 'GET', SESSIONS);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data.items as Session[];
    };

    it('lists my open sessions, the current one flagged, nobody else’s', async () => {
      const a = await signIn('dee', 'agent-a');
      const b = await signIn('dee', 'agent-b');
      await signIn('eve');
      const mine = await list(a.accessToken);
      assert.deepEqual(mine.map((x) => x.id).sort(), [sidOf(a.accessToken), sidOf(b.accessToken)].sort());
      assert.deepEqual(
        mine.map((x) => [x.id === sidOf(a.accessToken), x.current, x.user_agent, x.tenant]).sort(),
        [
          [false, false, 'agent-b', s.tenant.name],
          [true, true, 'agent-a', s.tenant.name],
        ],
      );
      const fromB = await list(b.accessToken);
      assert.equal(fromB.find((x) => x.current)?.id, sidOf(b.accessToken));
      // A refresh keeps the session (one entry, same id).
      const next = (await refresh(b.refreshToken)) as Pair;
      const after = await list(next.accessToken);
      assert.equal(after.length, 2);
      assert.equal(after.find((x) => x.current)?.id, sidOf(b.accessToken));
    });

    it('revokes another session of mine: its refresh and access tokens die at once', async () => {
      const a = await signIn('fin');
      const b = await signIn('fin');
      assert.equal((await s.callAs(b.accessToken, 'GET', ME)).status, 200);
      const res = await s.callAs(a.accessToken, 'DELETE', `${SESSIONS}/${sidOf(b.accessToken)}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(await refresh(b.refreshToken), '401 AUTH_REFRESH_INVALID');
      assert.deepEqual(
        (await list(a.accessToken)).map((x) => x.id),
        [sidOf(a.accessToken)],
      );
      // The clock has not moved: the cached "active" of b's session was dropped, not left to expire.
      assert.equal((await s.callAs(b.accessToken, 'GET', ME)).status, 401);
      assert.equal((await s.callAs(a.accessToken, 'GET', ME)).status, 200);
      assert.ok((await eventsOf(a.userId)).includes('session_revoked'));
      // Again: it is gone.
      const again = await s.callAs(a.accessToken, 'DELETE', `${SESSIONS}/${sidOf(b.accessToken)}`);
      assert.equal(again.status, 404);
    });

    it("cannot revoke someone else's session, nor an id that is no session", async () => {
      const mine = await signIn('gus');
      const theirs = await signIn('hope');
      const res = await s.callAs(mine.accessToken, 'DELETE', `${SESSIONS}/${sidOf(theirs.accessToken)}`);
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'NOT_FOUND');
      assert.notEqual(typeof (await refresh(theirs.refreshToken)), 'string');
      for (const id of ['not-a-session', '0190a0b0-0000-7000-8000-000000000000']) {
        const bad = await s.callAs(mine.accessToken, 'DELETE', `${SESSIONS}/${id}`);
        assert.equal(bad.status, 404, `${id}: ${JSON.stringify(bad.body)}`);
        assert.equal(bad.body.error.code, 'NOT_FOUND');
      }
    });

    it('signing out ends this session only and is logged', async () => {
      const a = await signIn('ivy');
      const b = await signIn('ivy');
      assert.equal((await s.callAs(a.accessToken, 'GET', ME)).status, 200);
      const out = await s.callAs(a.accessToken, 'POST', '/api/v1/auth/logout');
      assert.equal(out.status, 200, JSON.stringify(out.body));
      assert.equal(out.body.data.signedOut, true);
      assert.equal((await s.callAs(a.accessToken, 'GET', ME)).status, 401, 'signed out: refused at once');
      assert.equal((await s.callAs(b.accessToken, 'GET', ME)).status, 200, 'the other session goes on');
      assert.equal(await refresh(a.refreshToken), '401 AUTH_REFRESH_INVALID');
      assert.deepEqual(
        (await list(b.accessToken)).map((x) => x.id),
        [sidOf(b.accessToken)],
      );
      assert.notEqual(typeof (await refresh(b.refreshToken)), 'string');
      assert.ok((await eventsOf(a.userId)).includes('logout'));
      const anonymous = await s.callAs(null, 'POST', '/api/v1/auth/logout');
      assert.equal(anonymous.status, 401);
    });
  });
});
