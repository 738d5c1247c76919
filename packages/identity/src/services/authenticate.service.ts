/**
 * From an `Authorization` header to a principal and its access policy. User state, sessions, roles and
 * API tokens (decision 0051) are cached for at most 30 seconds. Revocations are announced to every
 * instance (decision 0075) and forgotten at once; the 30 s bound is what is left if an announcement is
 * lost (a listener reconnecting).
 */
import { AppError } from '@tenon/core';
import { type Database, findTenant, type Tenant } from '@tenon/db';
import type { AccessDecision, AccessPolicy } from '@tenon/design';
import type { AccessChange } from '../access-changes.ts';
import type { IdentityDeps } from '../context.ts';
import { IdentityErrors } from '../errors.ts';
import { ADMIN_ROLE, compilePolicy, type Principal, type RoleDef } from '../policy.ts';
import { loadRoles } from '../repositories/role.repository.ts';
import { type ApiTokenRow, findApiToken, isSessionActive } from '../repositories/session.repository.ts';
import { findUserById, membershipsOf } from '../repositories/user.repository.ts';
import { type AccessClaims, tokenHash, verifyAccessToken } from '../tokens.ts';

export const CACHE_MS = 30_000;

export type Authenticated = {
  principal: Principal;
  tenant: Tenant;
  policy: AccessPolicy;
  sessionId: string | null;
  passwordChangeRequired: boolean;
  via: 'session' | 'api_token';
};

class TtlCache<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();
  constructor(private readonly ttlMs: number) {}
  get(key: string, now: number, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = load();
    value.catch(() => this.entries.delete(key));
    this.entries.set(key, { at: now, value });
    if (this.entries.size > 10_000) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
  delete(prefix: string): void {
    this.deleteWhere((key) => key.startsWith(prefix));
  }
  deleteWhere(test: (key: string) => boolean): void {
    for (const key of this.entries.keys()) if (test(key)) this.entries.delete(key);
  }
}

/** Restricts a policy to an API token's scopes (`read:*`, `create:sales_order`, `*:*`). */
function scoped(policy: AccessPolicy, scopes: string[]): AccessPolicy {
  return {
    decide(entity, action): AccessDecision {
      const inner = policy.decide(entity, action);
      const ok = scopes.some((s) => {
        const [a = '', e = ''] = s.split(':');
        return (a === '*' || a === action) && (e === '*' || e === entity);
      });
      return ok
        ? inner
        : {
            ...inner,
            allowed: false,
            reasons: [...inner.reasons, `the API token's scopes do not include ${action}:${entity}`],
          };
    },
  };
}

export class Authenticator {
  private readonly users = new TtlCache<{
    disabled: boolean;
    username: string;
    memberships: Awaited<ReturnType<typeof membershipsOf>>;
  } | null>(CACHE_MS);
  /** Whether a session is active, by `<user id>|<session id>`. */
  private readonly sessions = new TtlCache<boolean>(CACHE_MS);
  private readonly roles = new TtlCache<{ roles: RoleDef[]; version: number }>(CACHE_MS);
  private readonly policies = new Map<string, AccessPolicy>();
  private readonly tokens = new Map<string, { claims: AccessClaims; exp: number; nbf: number }>();
  private readonly tenants = new TtlCache<Tenant | null>(CACHE_MS);
  /** API tokens by hash; `apiTokenHashes` maps a token's id to its hash, to forget it when revoked. */
  private readonly apiTokens = new TtlCache<ApiTokenRow | null>(CACHE_MS);
  private readonly apiTokenHashes = new Map<string, string>();

  constructor(private readonly deps: IdentityDeps) {}

  get db(): Database {
    return this.deps.db;
  }

  /** Forget cached roles of a tenant (after this process changed them). */
  invalidateRoles(tenantSchema: string): void {
    this.roles.delete(tenantSchema);
  }

  /** Forget a user's standing (disabled, memberships) and whether their sessions are active. */
  invalidateUser(userId: string): void {
    this.users.delete(userId);
    this.sessions.delete(`${userId}|`);
  }

  /** Forget whether a session is active (it was signed out or revoked). */
  invalidateSession(sessionId: string): void {
    this.sessions.deleteWhere((key) => key.endsWith(`|${sessionId}`));
  }

  /** A revocation announced by any instance (decision 0075). */
  forget(change: AccessChange): void {
    if (change.kind === 'session') this.invalidateSession(change.id);
    else if (change.kind === 'user') this.invalidateUser(change.id);
    else this.invalidateApiToken(change.id);
  }

  /** Forget a revoked API token (other instances hear of it on ACCESS_CHANNEL). */
  invalidateApiToken(id: string): void {
    const hash = this.apiTokenHashes.get(id);
    if (hash === undefined) return;
    this.apiTokens.delete(hash);
    this.apiTokenHashes.delete(id);
  }

  async rolesOf(tenant: Tenant): Promise<RoleDef[]> {
    return (await this.rolesWithVersion(tenant)).roles;
  }

  private async rolesWithVersion(tenant: Tenant): Promise<{ roles: RoleDef[]; version: number }> {
    const now = this.deps.clock.now().getTime();
    const { roles, version } = await this.roles.get(tenant.schemaName, now, () =>
      loadRoles(this.deps.db, tenant.schemaName),
    );
    return { roles: [ADMIN_ROLE, ...roles.filter((r) => r.name !== ADMIN_ROLE.name)], version };
  }

  /** One compiled policy per role version and membership (roles and attributes), reused across requests. */
  private async policyFor(tenant: Tenant, principal: Principal): Promise<AccessPolicy> {
    const { roles, version } = await this.rolesWithVersion(tenant);
    const key = `${tenant.schemaName}|${version}|${principal.userId}|${JSON.stringify(principal.roles)}|${JSON.stringify(principal.attributes)}`;
    let policy = this.policies.get(key);
    if (!policy) {
      policy = compilePolicy(roles, principal);
      if (this.policies.size >= 10_000) this.policies.delete(this.policies.keys().next().value!);
      this.policies.set(key, policy);
    }
    return policy;
  }

  async authenticate(header: string | undefined): Promise<Authenticated> {
    if (!header) throw new AppError(IdentityErrors.AUTH_REQUIRED);
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new AppError(IdentityErrors.AUTH_INVALID_TOKEN);
    const token = m[1]!;
    return token.startsWith('tna_') ? this.fromApiToken(token) : this.fromAccessToken(token);
  }

  /** A token's signature is checked once; its time window on every use. */
  private async verified(token: string, now: Date): Promise<AccessClaims | null> {
    const seconds = now.getTime() / 1000;
    const hit = this.tokens.get(token);
    if (hit) return hit.nbf <= seconds && seconds < hit.exp ? hit.claims : null;
    const claims = await verifyAccessToken(this.deps.key, token, now);
    if (!claims) return null;
    const { exp, nbf } = claims as AccessClaims & { exp: number; nbf: number };
    if (this.tokens.size >= 10_000) this.tokens.delete(this.tokens.keys().next().value!);
    this.tokens.set(token, { claims, exp, nbf });
    return claims;
  }

  private async fromAccessToken(token: string): Promise<Authenticated> {
    const now = this.deps.clock.now();
    const claims = await this.verified(token, now);
    if (!claims) throw new AppError(IdentityErrors.AUTH_INVALID_TOKEN);
    if (claims.sid) {
      const active = await this.sessions.get(`${claims.sub}|${claims.sid}`, now.getTime(), () =>
        isSessionActive(this.deps.db, claims.sid!),
      );
      if (!active) throw new AppError(IdentityErrors.AUTH_INVALID_TOKEN);
    }
    const built = await this.build(claims.sub, claims.ten, null);
    return {
      ...built,
      sessionId: claims.sid ?? null,
      passwordChangeRequired: (claims as { pcr?: boolean }).pcr === true,
      via: 'session',
    };
  }

  private async fromApiToken(token: string): Promise<Authenticated> {
    const now = this.deps.clock.now();
    const hash = tokenHash(token);
    const row = await this.apiTokens.get(hash, now.getTime(), async () => {
      const found = await findApiToken(this.deps.db, hash);
      if (found) {
        if (this.apiTokenHashes.size >= 10_000) this.apiTokenHashes.clear();
        this.apiTokenHashes.set(found.id, hash);
      }
      return found;
    });
    if (!row || row.revoked_at || (row.expires_at && new Date(row.expires_at) <= now)) {
      throw new AppError(IdentityErrors.AUTH_INVALID_TOKEN);
    }
    const built = await this.build(row.user_id, row.tenant, row.scopes);
    return { ...built, sessionId: null, passwordChangeRequired: false, via: 'api_token' };
  }

  private async build(userId: string, tenantName: string, scopes: string[] | null) {
    const now = this.deps.clock.now().getTime();
    const user = await this.users.get(userId, now, async () => {
      const row = await findUserById(this.deps.db, userId);
      return row
        ? {
            disabled: row.disabled,
            username: row.username,
            memberships: await membershipsOf(this.deps.db, userId),
          }
        : null;
    });
    if (!user) throw new AppError(IdentityErrors.AUTH_INVALID_TOKEN);
    if (user.disabled) throw new AppError(IdentityErrors.AUTH_DISABLED);
    const membership = user.memberships.find((m) => m.tenant === tenantName);
    if (!membership) throw new AppError(IdentityErrors.AUTH_NO_MEMBERSHIP);
    if (membership.disabled) throw new AppError(IdentityErrors.AUTH_DISABLED);
    const tenant = await this.tenants.get(tenantName, now, () => findTenant(this.deps.db, tenantName));
    if (!tenant) throw new AppError(IdentityErrors.AUTH_NO_MEMBERSHIP);
    const principal: Principal = {
      userId,
      username: user.username,
      tenant: tenantName,
      roles: membership.roles,
      attributes: membership.attributes,
    };
    const policy = await this.policyFor(tenant, principal);
    return { principal, tenant, policy: scopes ? scoped(policy, scopes) : policy };
  }
}
