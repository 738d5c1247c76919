/** `/api/v1/security/`: roles, users and their memberships, and "why may (not) this user do that". */
import { AppError, CoreErrors, isUuid } from '@tenon/core';
import { PLATFORM_SCHEMA, sql } from '@tenon/db';
import { getRecord } from '@tenon/design';
import {
  compilePolicy,
  createRoleDefinition,
  createUser,
  IdentityErrors,
  notifyAccessChange,
  resetPassword,
  saveRoleDefinition,
} from '@tenon/identity';
import type { FastifyInstance } from 'fastify';
import { metamodelOf, metaOf, requirePlatform, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';

type MemberRow = {
  id: string;
  username: string;
  display_name: string | null;
  disabled: boolean;
  roles: string[];
  attributes: Record<string, unknown>;
};

export function securityRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get('/api/v1/security/roles', async (request, reply) => {
    const auth = requirePlatform(request, '$security', 'read');
    const items = await deps.auth.rolesOf(auth.tenant);
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });

  /** A new role; without `name`, its identifier comes from its Chinese name's pinyin. */
  app.post('/api/v1/security/roles', async (request, reply) => {
    const auth = requirePlatform(request, '$security', 'create');
    const metamodel = await metamodelOf(deps, request);
    const created = await createRoleDefinition(
      deps.db,
      auth.tenant,
      metamodel,
      request.body,
      auth.principal.username,
    );
    deps.auth.invalidateRoles(auth.tenant.schemaName);
    return send(reply, created, 201);
  });

  app.put<{ Params: { name: string } }>('/api/v1/security/roles/:name', async (request, reply) => {
    const auth = requirePlatform(request, '$security', 'update');
    const metamodel = await metamodelOf(deps, request);
    const input = { ...(request.body as object), name: request.params.name };
    const saved = await saveRoleDefinition(deps.db, auth.tenant, metamodel, input, auth.principal.username);
    deps.auth.invalidateRoles(auth.tenant.schemaName);
    return send(reply, saved);
  });

  app.get('/api/v1/security/users', async (request, reply) => {
    const auth = requirePlatform(request, '$security', 'read');
    const { rows } = await deps.db.run<MemberRow>(sql`
      SELECT u.id, u.username, u.display_name, (u.disabled OR m.disabled) AS disabled, m.roles, m.attributes
      FROM ${sql.id(PLATFORM_SCHEMA, 'membership')} m JOIN ${sql.id(PLATFORM_SCHEMA, 'user')} u ON u.id = m.user_id
      WHERE m.tenant_id = ${auth.tenant.id} ORDER BY u.username`);
    return send(reply, { items: rows, total: rows.length, page: 1, pageSize: rows.length });
  });

  app.post<{
    Body: {
      username: string;
      password?: string;
      displayName?: string;
      roles: string[];
      attributes?: Record<string, unknown>;
    };
  }>(
    '/api/v1/security/users',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'roles'],
          properties: {
            username: { type: 'string', minLength: 2, maxLength: 64 },
            password: { type: 'string', minLength: 1, maxLength: 200 },
            displayName: { type: 'string', maxLength: 120 },
            roles: { type: 'array', items: { type: 'string', maxLength: 63 }, maxItems: 50 },
            attributes: { type: 'object' },
          },
        },
      },
    },
    async (request, reply) => {
      const auth = requirePlatform(request, '$security', 'create');
      const known = new Set((await deps.auth.rolesOf(auth.tenant)).map((r) => r.name));
      const unknown = request.body.roles.filter((r) => !known.has(r));
      if (unknown.length > 0) throw new AppError(IdentityErrors.ROLE_NOT_FOUND, { role: unknown.join(', ') });
      const created = await createUser(deps.db, {
        ...request.body,
        tenant: auth.tenant,
        addToExisting: false,
      });
      return send(
        reply,
        { id: created.userId, username: request.body.username, oneTimePassword: created.password },
        201,
      );
    },
  );

  app.patch<{
    Params: { id: string };
    Body: { roles?: string[]; attributes?: Record<string, unknown>; disabled?: boolean };
  }>(
    '/api/v1/security/users/:id',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            roles: { type: 'array', items: { type: 'string', maxLength: 63 }, maxItems: 50 },
            attributes: { type: 'object' },
            disabled: { type: 'boolean' },
          },
        },
      },
    },
    async (request, reply) => {
      const auth = requirePlatform(request, '$security', 'update');
      const { id } = request.params;
      if (!isUuid(id)) throw new AppError(CoreErrors.NOT_FOUND, { what: `user ${id}` });
      const { roles, attributes, disabled } = request.body;
      await deps.db.transaction(async (tx) => {
        const member = await tx.run(sql`SELECT 1 FROM ${sql.id(PLATFORM_SCHEMA, 'membership')}
          WHERE user_id = ${id} AND tenant_id = ${auth.tenant.id} FOR UPDATE`);
        if (member.rows.length === 0) throw new AppError(CoreErrors.NOT_FOUND, { what: `user ${id}` });
        if (roles)
          await tx.run(sql`UPDATE ${sql.id(PLATFORM_SCHEMA, 'membership')} SET roles = ${roles}, updated_at = now()
          WHERE user_id = ${id} AND tenant_id = ${auth.tenant.id}`);
        if (attributes)
          await tx.run(sql`UPDATE ${sql.id(PLATFORM_SCHEMA, 'membership')}
          SET attributes = ${JSON.stringify(attributes)}::jsonb, updated_at = now() WHERE user_id = ${id} AND tenant_id = ${auth.tenant.id}`);
        // A tenant's administrators disable the membership: the user's other tenants are not theirs to touch.
        if (disabled !== undefined) {
          await tx.run(sql`UPDATE ${sql.id(PLATFORM_SCHEMA, 'membership')} SET disabled = ${disabled}, updated_at = now()
            WHERE user_id = ${id} AND tenant_id = ${auth.tenant.id}`);
        }
        // Every instance forgets the user's cached standing once this commits (decision 0075).
        await tx.run(sql`SELECT ${notifyAccessChange({ kind: 'user', id })}`);
      });
      deps.auth.invalidateUser(id);
      return send(reply, { id, updated: true });
    },
  );

  /**
   * A new password for a member who forgot theirs or is locked out: a one-time password (shown once,
   * changed at the next sign-in), the account unlocked, every session of the user ended.
   */
  app.post<{ Params: { id: string }; Body: { password?: string } }>(
    '/api/v1/security/users/:id/password',
    {
      schema: {
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { password: { type: 'string', minLength: 1, maxLength: 200 } },
        },
      },
    },
    async (request, reply) => {
      const auth = requirePlatform(request, '$security', 'update');
      const { id } = request.params;
      if (!isUuid(id)) throw new AppError(CoreErrors.NOT_FOUND, { what: `user ${id}` });
      const reset = await resetPassword(
        deps.identity,
        {
          userId: id,
          tenant: auth.tenant,
          actor: auth.principal.username,
          ...(request.body?.password ? { password: request.body.password } : {}),
        },
        metaOf(request),
      );
      deps.auth.invalidateUser(id);
      return send(reply, { id, username: reset.username, oneTimePassword: reset.password });
    },
  );

  /** Why may user U (not) do action A on entity E (and record R)? */
  app.get<{ Querystring: { user: string; entity: string; action: string; record?: string } }>(
    '/api/v1/security/explain',
    async (request, reply) => {
      const auth = requirePlatform(request, '$security', 'read');
      const { user, entity, action, record } = request.query;
      if (!user || !entity || !action) {
        throw new AppError(CoreErrors.BAD_REQUEST, { reason: 'user, entity and action are required' });
      }
      const { rows } = await deps.db.run<MemberRow>(sql`
        SELECT u.id, u.username, u.display_name, (u.disabled OR m.disabled) AS disabled, m.roles, m.attributes
        FROM ${sql.id(PLATFORM_SCHEMA, 'membership')} m JOIN ${sql.id(PLATFORM_SCHEMA, 'user')} u ON u.id = m.user_id
        WHERE m.tenant_id = ${auth.tenant.id} AND (u.username = ${user} OR u.id::text = ${user})`);
      const member = rows[0];
      if (!member) throw new AppError(IdentityErrors.USER_NOT_FOUND, { username: user });
      const policy = compilePolicy(await deps.auth.rolesOf(auth.tenant), {
        userId: member.id,
        username: member.username,
        tenant: auth.tenant.name,
        roles: member.roles,
        attributes: member.attributes,
      });
      const decision = policy.decide(entity, action);
      let recordVisible: boolean | null = null;
      if (record && decision.allowed && !entity.startsWith('$')) {
        const metamodel = await metamodelOf(deps, request);
        const found = await getRecord(deps.db, metamodel, metamodel.get(entity), record, {
          rowFilter: decision.rowFilter,
          fields: ['id'],
        });
        recordVisible = found !== null;
      }
      return send(reply, {
        allowed: decision.allowed && recordVisible !== false,
        disabled: member.disabled,
        rowFilter: decision.rowFilter,
        hiddenFields: [...decision.hiddenFields],
        readOnlyFields: [...decision.readOnlyFields],
        unmaskedFields: [...decision.unmaskedFields],
        recordMatchesRowCondition: recordVisible,
        reasons: [
          ...decision.reasons,
          ...(recordVisible === false ? [`record ${record} does not match the row condition`] : []),
          ...(member.disabled ? ['the account is disabled'] : []),
        ],
      });
    },
  );
}
